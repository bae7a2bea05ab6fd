/**
 * Frames that are valid enough to reach a decoder and cost far more than their
 * size: the progressive scan bomb, and the smallest JPEG there is (the unit of
 * a tiny-frame flood). Built from bytes here, never stored.
 */
import sharp from 'sharp';
import { headerJpeg } from '../../tests/helpers/jpeg-fixtures';

/** A DHT segment holding one AC Huffman table (class 1, id 0) with one 1-bit code: EOB14. */
const EOB_RUN_TABLE = Buffer.from([
  0xff,
  0xc4,
  0x00,
  0x14,
  0x10,
  0x01,
  ...new Array<number>(15).fill(0),
  0xe0,
]);
/** Entropy data: code `0` (EOB14) + 14 one bits (a run of 32767 blocks), padded, FF stuffed. */
const EOB_RUN_DATA = Buffer.from([0x7f, 0xff, 0x00]);

function firstComponentId(jpeg: Buffer): number {
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc2]));
  if (sof < 0) throw new Error('not a progressive JPEG');
  return jpeg[sof + 10]!;
}

/**
 * One scan of the bomb: a first AC scan of the luma component whose only
 * symbol ends every block at once. Each costs a decoder a pass over all
 * blocks of the image (35 bytes on the wire).
 */
function bombScan(component: number): Buffer {
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, component, 0x00, 0x01, 0x3f, 0x00]);
  return Buffer.concat([EOB_RUN_TABLE, sos, EOB_RUN_DATA]);
}

/**
 * A real progressive JPEG (`width` x `height`) with `extraScans` bomb scans
 * before its EOI. 12,000 extra scans on 1024x1024 is ~420 KB.
 */
export async function progressiveScanBomb(
  extraScans: number,
  width = 1024,
  height = 1024,
): Promise<Buffer> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .jpeg({ progressive: true, quality: 50 })
    .toBuffer();
  return withBombScans(jpeg, extraScans);
}

/** A progressive JPEG (ending in EOI) with `extraScans` bomb scans inserted before its EOI. */
export function withBombScans(progressive: Buffer, extraScans: number): Buffer {
  const scan = bombScan(firstComponentId(progressive));
  const eoi = progressive.length - 2;
  return Buffer.concat([
    progressive.subarray(0, eoi),
    ...new Array<Buffer>(extraScans).fill(scan),
    progressive.subarray(eoi),
  ]);
}

/** True for a progressive (SOF2) JPEG. */
export function isProgressiveJpeg(jpeg: Buffer): boolean {
  return jpeg.indexOf(Buffer.from([0xff, 0xc2])) > 0;
}

/** The 28-byte-class JPEG of a tiny-frame flood: SOI, SOF0 1x1 grey, DHT-less SOS, EOI. */
export function tinyJpeg(): Buffer {
  return headerJpeg(1, 1, { components: 1 });
}
