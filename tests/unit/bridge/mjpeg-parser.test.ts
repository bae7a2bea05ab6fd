import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  boundaryFromContentType,
  createMjpegParser,
  type MjpegDiscardReason,
} from '../../../src/main/bridge/mjpeg-parser';

function jpeg(width: number): Promise<Buffer> {
  return sharp({ create: { width, height: 24, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
}

interface PartStyle {
  eol: string;
  contentLength: boolean;
  dashes: string;
}

function multipart(frames: Buffer[], boundary: string, style: PartStyle): Buffer {
  const pieces: Buffer[] = [];
  for (const frame of frames) {
    const headers = [`${style.dashes}${boundary}`, 'Content-Type: image/jpeg'];
    if (style.contentLength) headers.push(`Content-Length: ${frame.length}`);
    pieces.push(Buffer.from(headers.join(style.eol) + style.eol + style.eol, 'latin1'));
    pieces.push(frame, Buffer.from(style.eol, 'latin1'));
  }
  return Buffer.concat(pieces);
}

function parse(
  body: Buffer,
  boundary: string | undefined,
  chunkSize: number,
  maxPartBytes = 1 << 20,
) {
  const images: Buffer[] = [];
  const discards: MjpegDiscardReason[] = [];
  const parser = createMjpegParser({
    boundary,
    maxPartBytes,
    onImage: (image) => images.push(image),
    onDiscard: (reason) => discards.push(reason),
  });
  for (let i = 0; i < body.length; i += chunkSize) parser.push(body.subarray(i, i + chunkSize));
  return { images, discards };
}

describe('boundaryFromContentType', () => {
  it.each([
    ['multipart/x-mixed-replace; boundary=frame', 'frame'],
    ['multipart/x-mixed-replace;boundary=--myboundary', 'myboundary'],
    ['multipart/x-mixed-replace; boundary="--ipcam"', 'ipcam'],
    ['Multipart/X-Mixed-Replace; charset=x; BOUNDARY=abc123', 'abc123'],
    ['multipart/x-mixed-replace', undefined],
    ['image/jpeg', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(boundaryFromContentType(header)).toBe(expected);
  });
});

describe('mjpeg parser', () => {
  let frames: Buffer[];
  beforeAll(async () => {
    frames = await Promise.all([32, 96, 160, 224, 288].map(jpeg));
  });

  const styles: PartStyle[] = [
    { eol: '\r\n', contentLength: true, dashes: '--' },
    { eol: '\r\n', contentLength: false, dashes: '--' },
    { eol: '\n', contentLength: false, dashes: '--' },
    { eol: '\r\n', contentLength: false, dashes: '----' },
    { eol: '\n', contentLength: true, dashes: '' },
  ];

  for (const style of styles) {
    for (const chunk of [1, 13, 65536]) {
      it(`parses parts (${JSON.stringify(style)}) in ${chunk}-byte chunks`, () => {
        const body = multipart(frames, 'camBoundary', style);
        const { images, discards } = parse(body, 'camBoundary', chunk);
        expect(images.map((i) => i.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
        expect(discards).toEqual([]);
      });
    }
  }

  it('skips a part over the cap, with and without Content-Length', () => {
    const cap = frames[2]!.length - 1;
    for (const contentLength of [true, false]) {
      const body = multipart(frames.slice(1, 4), 'capBoundary', {
        eol: '\r\n',
        contentLength,
        dashes: '--',
      });
      const { images, discards } = parse(body, 'capBoundary', 100, cap);
      expect(images.map((i) => i.length)).toEqual([frames[1]!.length]);
      expect(discards).toContain('part_too_large');
    }
  });

  it('skips parts that are not JPEG', () => {
    const text = Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n', 'latin1');
    const body = Buffer.concat([text, multipart([frames[0]!], 'b', styles[1]!), text]);
    const { images, discards } = parse(Buffer.concat([body, Buffer.from('--b\r\n')]), 'b', 9);
    expect(images).toHaveLength(1);
    expect(discards).toContain('not_jpeg');
  });

  it('without a boundary, splits the body on JPEG markers', () => {
    const body = multipart(frames, 'whatever', styles[0]!);
    const { images } = parse(body, undefined, 17);
    expect(images).toHaveLength(frames.length);
  });
});

describe('mjpeg parser on a messy stream', () => {
  /** Deterministic PRNG so a failure can be replayed. */
  function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it('recovers every frame whatever the chunking, line endings and junk between parts', async () => {
    const frames = await Promise.all([48, 120, 200, 64].map(jpeg));
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed);
      const pieces: Buffer[] = [];
      const expected: string[] = [];
      for (let i = 0; i < 12; i++) {
        const frame = frames[Math.floor(random() * frames.length)]!;
        const eol = random() < 0.5 ? '\r\n' : '\n';
        const junk = random() < 0.3 ? 'x'.repeat(Math.floor(random() * 40)) + eol : '';
        const length = random() < 0.5 ? `Content-Length: ${frame.length}${eol}` : '';
        pieces.push(
          Buffer.from(
            `${junk}--messy${eol}Content-Type: image/jpeg${eol}${length}${eol}`,
            'latin1',
          ),
          frame,
          Buffer.from(eol, 'latin1'),
        );
        expected.push(frame.toString('hex'));
      }
      const body = Buffer.concat(pieces);
      const images: string[] = [];
      const parser = createMjpegParser({
        boundary: 'messy',
        maxPartBytes: 1 << 20,
        onImage: (image) => images.push(image.toString('hex')),
      });
      for (let at = 0; at < body.length;) {
        const size = 1 + Math.floor(random() * 700);
        parser.push(body.subarray(at, at + size));
        at += size;
      }
      expect(images, `seed ${seed}`).toEqual(expected);
    }
  });
});
