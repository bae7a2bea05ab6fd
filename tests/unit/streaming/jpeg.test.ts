import { describe, expect, it } from 'vitest';
import { checkJpeg } from '../../../src/main/streaming/jpeg';
import { makeJpeg } from '../../helpers/station';

/** A minimal JPEG header declaring the given size, then EOI. */
function fakeJpegWithSize(width: number, height: number): Buffer {
  const sof = [
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ];
  const sos = [0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00];
  return Buffer.from([0xff, 0xd8, ...sof, ...sos, 0x00, 0xff, 0xd9]);
}

describe('checkJpeg', () => {
  it('accepts a real JPEG and reads its size', async () => {
    const jpeg = await makeJpeg(320, 240);
    expect(checkJpeg(jpeg)).toEqual({ ok: true, width: 320, height: 240 });
  });

  it('refuses zero bytes and bytes that are not a JPEG', () => {
    expect(checkJpeg(Buffer.alloc(0))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('SOI'),
    });
    expect(checkJpeg(Buffer.from('GIF89a not a jpeg'))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('SOI'),
    });
  });

  it('refuses a truncated JPEG (no EOI)', async () => {
    const jpeg = await makeJpeg(320, 240);
    const result = checkJpeg(jpeg.subarray(0, jpeg.length - 100));
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('EOI') });
  });

  it('refuses absurd dimensions before any decode', () => {
    const result = checkJpeg(fakeJpegWithSize(65_500, 65_500));
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('65500x65500') });
  });

  it('refuses zero dimensions and a missing frame header', () => {
    expect(checkJpeg(fakeJpegWithSize(0, 10)).ok).toBe(false);
    expect(checkJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('SOF'),
    });
  });

  it('refuses a frame header a decoder would reject', () => {
    const bad = fakeJpegWithSize(64, 64);
    bad[6] = 16; // 16-bit precision
    expect(checkJpeg(bad)).toMatchObject({ ok: false, detail: expect.stringContaining('16-bit') });
    const badSampling = fakeJpegWithSize(64, 64);
    badSampling[13] = 0x00; // component 1 sampling 0x0
    expect(checkJpeg(badSampling)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('sampling'),
    });
  });

  it('refuses headers with no scan', async () => {
    const jpeg = await makeJpeg(32, 32);
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const noScan = Buffer.concat([jpeg.subarray(0, sos), Buffer.from([0xff, 0xd9])]);
    expect(checkJpeg(noScan)).toMatchObject({ ok: false, detail: expect.stringContaining('SOS') });
  });

  it('refuses a segment that overruns the data', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x7f, 0xff, 0x00, 0x00, 0xff, 0xd9]);
    expect(checkJpeg(bytes)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('overruns'),
    });
  });
});
