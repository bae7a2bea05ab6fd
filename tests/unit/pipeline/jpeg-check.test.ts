import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { progressiveScanBomb, tinyJpeg } from '../../../bench/fuzz/decode-bombs';
import {
  MAX_JPEG_SCANS,
  MAX_JPEG_SEGMENTS,
  MAX_JPEG_TABLES,
  checkJpeg,
} from '../../../src/main/pipeline/jpeg-header';
import { headerJpeg } from '../../helpers/jpeg-fixtures';
import { makeJpeg } from '../../helpers/station';

/** Inserts `segment` (repeated `times`) right after SOI. */
function withSegments(jpeg: Buffer, segment: number[], times: number): Buffer {
  const many = Buffer.concat(new Array<Buffer>(times).fill(Buffer.from(segment)));
  return Buffer.concat([jpeg.subarray(0, 2), many, jpeg.subarray(2)]);
}

describe('checkJpeg', () => {
  it('accepts a real JPEG and reads its header in the same walk', async () => {
    const jpeg = await makeJpeg(320, 240);
    expect(checkJpeg(jpeg)).toEqual({
      ok: true,
      header: {
        width: 320,
        height: 240,
        components: 3,
        chromaSubsampling: '4:2:0',
        progressive: false,
        orientation: 1,
        scans: 1,
      },
    });
  });

  it('accepts real progressive JPEGs (about 10 scans) and the smallest JPEG there is', async () => {
    const image = sharp({ create: { width: 640, height: 480, channels: 3, background: '#456' } });
    for (const jpeg of [
      await image.clone().jpeg({ progressive: true }).toBuffer(),
      await image.clone().jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer(),
      await image.clone().jpeg({ mozjpeg: true }).toBuffer(),
    ]) {
      const check = checkJpeg(jpeg);
      expect(check.ok && check.header.progressive).toBe(true);
      expect(check.ok && check.header.scans).toBeGreaterThan(1);
    }
    expect(checkJpeg(tinyJpeg())).toMatchObject({ ok: true, header: { width: 1, height: 1 } });
  });

  it('refuses a progressive scan bomb before any decoder sees it', async () => {
    const atLimit = await progressiveScanBomb(MAX_JPEG_SCANS - 10, 256, 256);
    expect(checkJpeg(atLimit)).toMatchObject({ ok: true, header: { scans: MAX_JPEG_SCANS } });
    const bomb = await progressiveScanBomb(12_000, 256, 256);
    expect(checkJpeg(bomb)).toEqual({
      ok: false,
      detail: `Refused JPEG: more than ${MAX_JPEG_SCANS} scans (a decode bomb)`,
    });
  });

  it('refuses absurd table and segment counts', async () => {
    const jpeg = await makeJpeg(64, 64);
    const dqt = [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)];
    expect(checkJpeg(withSegments(jpeg, dqt, MAX_JPEG_TABLES))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('tables'),
    });
    const comment = [0xff, 0xfe, 0x00, 0x03, 0x41];
    expect(checkJpeg(withSegments(jpeg, comment, MAX_JPEG_SEGMENTS))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('marker segments'),
    });
    const badTable = [0xff, 0xc4, 0x00, 0x13, 0x10, 0xff, ...new Array<number>(15).fill(0)];
    expect(checkJpeg(withSegments(jpeg, badTable, 1))).toMatchObject({
      ok: false,
      detail: 'Corrupt JPEG: malformed DHT',
    });
  });

  it('refuses a scan header that names more components than the frame has', async () => {
    const jpeg = await makeJpeg(64, 64);
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const bad = Buffer.from(jpeg);
    bad[sos + 4] = 4;
    expect(checkJpeg(bad)).toMatchObject({ ok: false, detail: expect.stringContaining('scan') });
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
    const result = checkJpeg(headerJpeg(65_500, 65_500));
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('65500x65500') });
  });

  it('refuses zero dimensions and a missing frame header', () => {
    expect(checkJpeg(headerJpeg(0, 10)).ok).toBe(false);
    expect(checkJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('SOF'),
    });
  });

  it('refuses a frame header a decoder would reject', () => {
    const bad = headerJpeg(64, 64);
    bad[6] = 16; // 16-bit precision
    expect(checkJpeg(bad)).toMatchObject({ ok: false, detail: expect.stringContaining('16-bit') });
    const badSampling = headerJpeg(64, 64);
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
