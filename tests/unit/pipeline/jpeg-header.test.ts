import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegHeader } from '../../../src/main/pipeline/jpeg-header';

const base = () =>
  sharp({ create: { width: 301, height: 157, channels: 3, background: '#336699' } });

describe('JPEG header reader', () => {
  it('agrees with libvips on size, components, subsampling, progressive and orientation', async () => {
    const plain = await base().jpeg().toBuffer();
    const cases = [
      plain,
      await base().jpeg({ chromaSubsampling: '4:4:4' }).toBuffer(),
      await base().jpeg({ progressive: true }).toBuffer(),
      await base().jpeg({ mozjpeg: true }).toBuffer(),
      await base().toColourspace('b-w').jpeg().toBuffer(),
      await base().toColourspace('cmyk').jpeg().toBuffer(),
      await sharp(plain).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
      await sharp(plain).withMetadata({ orientation: 3 }).jpeg().toBuffer(),
    ];
    for (const jpeg of cases) {
      const header = readJpegHeader(jpeg);
      const meta = await sharp(jpeg).metadata();
      expect(header).toEqual({
        width: meta.width,
        height: meta.height,
        components: meta.channels,
        chromaSubsampling: meta.chromaSubsampling ?? null,
        progressive: meta.isProgressive,
        orientation: meta.orientation ?? 1,
        scans: header.scans,
      });
      expect(header.scans).toBeGreaterThanOrEqual(1);
    }
  });

  it('names the other subsampling layouts from the sampling factors', async () => {
    const jpeg = await base().jpeg({ chromaSubsampling: '4:4:4' }).toBuffer();
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const withLuma = (factors: number) => {
      const copy = Buffer.from(jpeg);
      copy[sof + 2 + 2 + 6 + 1] = factors; // first component's sampling byte
      return readJpegHeader(copy).chromaSubsampling;
    };
    expect(withLuma(0x11)).toBe('4:4:4');
    expect(withLuma(0x21)).toBe('4:2:2');
    expect(withLuma(0x22)).toBe('4:2:0');
    expect(withLuma(0x12)).toBe('4:4:0');
    expect(withLuma(0x41)).toBe('4:1:1');
  });

  it('rejects what is not a JPEG header', async () => {
    expect(() => readJpegHeader(Buffer.from('not a jpeg'))).toThrow('missing SOI marker');
    expect(() => readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(
      'no frame header (SOF) before the image data',
    );
    const jpeg = await base().jpeg().toBuffer();
    expect(() => readJpegHeader(jpeg.subarray(0, 30))).toThrow('missing EOI marker');
    const noMarker = Buffer.concat([
      jpeg.subarray(0, 2),
      Buffer.alloc(20, 7),
      Buffer.from([0xff, 0xd9]),
    ]);
    expect(() => readJpegHeader(noMarker)).toThrow('expected a marker at byte 2');
  });
});
