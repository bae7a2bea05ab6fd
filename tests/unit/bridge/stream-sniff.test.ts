import { describe, expect, it } from 'vitest';
import { SNIFF_LIMIT_BYTES, sniffStream } from '../../../src/main/bridge/stream-sniff';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const SOI = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

describe('sniffStream: what an HTTP stream is, from its bytes', () => {
  it("finds ffmpeg's multipart boundary under application/octet-stream", () => {
    const head = bytes('--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: 12\r\n\r\n');
    expect(sniffStream(head, 'application/octet-stream')).toEqual({
      kind: 'multipart',
      boundary: 'ffmpeg',
    });
  });

  it('takes the boundary the body uses, even when the header names another or none', () => {
    expect(
      sniffStream(bytes('\r\n--myboundary  \r\n'), 'multipart/x-mixed-replace;boundary=x'),
    ).toEqual({
      kind: 'multipart',
      boundary: 'myboundary',
    });
    expect(sniffStream(bytes('----abc\n'), undefined)).toEqual({
      kind: 'multipart',
      boundary: 'abc',
    });
  });

  it('finds a declared boundary after a preamble', () => {
    const head = bytes('This is MJPEG.\r\n--frame\r\nContent-Type: image/jpeg\r\n\r\n');
    expect(sniffStream(head, 'multipart/x-mixed-replace; boundary="frame"')).toEqual({
      kind: 'multipart',
      boundary: 'frame',
    });
  });

  it('tells back-to-back JPEGs by the SOI marker, whatever the label', () => {
    expect(sniffStream(SOI, 'text/plain')).toEqual({ kind: 'jpeg' });
    expect(sniffStream(Buffer.concat([bytes('\r\n'), SOI]), undefined)).toEqual({ kind: 'jpeg' });
  });

  it('leaves MPEG-TS and other streams to ffmpeg', () => {
    const ts = Buffer.alloc(376, 0xff);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(sniffStream(ts, 'video/mp2t')).toEqual({ kind: 'other' });
    expect(
      sniffStream(bytes('#EXTM3U\n#EXT-X-VERSION:3\n'), 'application/vnd.apple.mpegurl'),
    ).toEqual({ kind: 'other' });
    expect(sniffStream(bytes('--\r\n'), undefined)).toEqual({ kind: 'other' });
  });

  it('waits for more bytes while it cannot tell yet, within a bound', () => {
    expect(sniffStream(Buffer.alloc(0), undefined)).toEqual({ kind: 'undecided' });
    expect(sniffStream(bytes('\r\n'), undefined)).toEqual({ kind: 'undecided' });
    expect(sniffStream(bytes('--ffmp'), undefined)).toEqual({ kind: 'undecided' });
    const preamble = bytes('x'.repeat(100));
    expect(sniffStream(preamble, 'multipart/x-mixed-replace;boundary=b')).toEqual({
      kind: 'undecided',
    });
    const long = bytes('x'.repeat(SNIFF_LIMIT_BYTES));
    expect(sniffStream(long, 'multipart/x-mixed-replace;boundary=b')).toEqual({ kind: 'other' });
    expect(sniffStream(bytes(`--${'y'.repeat(300)}`), undefined)).toEqual({ kind: 'other' });
  });
});
