/**
 * Synthetic camera frames: a gradient with sensor-like noise, shapes that move
 * from frame to frame, and the camera name and frame number drawn in. A ring of
 * frames is rendered up front so that sending them costs no CPU in load tests.
 */
import sharp from 'sharp';

export interface FrameSourceOptions {
  width: number;
  height: number;
  cameraId: string;
  /** JPEG quality, 1-100. Default 80. */
  quality?: number;
  /** Frames rendered up front and then sent in a loop. Default 30. */
  ringSize?: number;
  /**
   * Amplitude of the per-pixel noise (0 = clean). Real sensors are noisy, and
   * noise is what makes a 1280x720 JPEG weigh ~94 KiB at quality 80 (default 9.5).
   */
  noise?: number;
  /** Seed of the noise, so runs are comparable. Default derived from cameraId. */
  seed?: number;
}

export interface FrameSource {
  readonly width: number;
  readonly height: number;
  readonly cameraId: string;
  /** The pre-rendered frames, in order. */
  readonly frames: readonly Buffer[];
  /** Mean size of the frames in bytes. */
  readonly meanBytes: number;
  /** The next frame of the ring (wraps around). */
  next(): Buffer;
}

const DEFAULTS = { quality: 80, ringSize: 30, noise: 9.5 } as const;

function validate(options: FrameSourceOptions): Required<FrameSourceOptions> {
  // `??` rather than a spread: an option passed as undefined still gets its default.
  const merged = {
    width: options.width,
    height: options.height,
    cameraId: options.cameraId,
    quality: options.quality ?? DEFAULTS.quality,
    ringSize: options.ringSize ?? DEFAULTS.ringSize,
    noise: options.noise ?? DEFAULTS.noise,
    seed: options.seed ?? hashString(options.cameraId),
  };
  const { width, height, quality, ringSize, noise } = merged;
  if (!Number.isInteger(width) || width < 16 || width > 8192) {
    throw new TypeError(`width must be an integer from 16 to 8192 (got ${width})`);
  }
  if (!Number.isInteger(height) || height < 16 || height > 8192) {
    throw new TypeError(`height must be an integer from 16 to 8192 (got ${height})`);
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new TypeError(`quality must be an integer from 1 to 100 (got ${quality})`);
  }
  if (!Number.isInteger(ringSize) || ringSize < 1 || ringSize > 1000) {
    throw new TypeError(`ringSize must be an integer from 1 to 1000 (got ${ringSize})`);
  }
  if (!(noise >= 0 && noise <= 128)) {
    throw new TypeError(`noise must be a number from 0 to 128 (got ${noise})`);
  }
  return merged;
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return hash;
}

/** A small, fast, seeded generator (mulberry32): frames are the same run to run. */
function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i += 4) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    out[i] = t & 0xff;
    out[i + 1] = (t >>> 8) & 0xff;
    out[i + 2] = (t >>> 16) & 0xff;
    out[i + 3] = t >>> 24;
  }
  return out;
}

/** The background of frame `index`: a diagonal gradient plus noise shifted each frame. */
function renderBackground(
  width: number,
  height: number,
  noiseTable: Uint8Array,
  amplitude: number,
  index: number,
): Buffer {
  const pixels = Buffer.allocUnsafe(width * height * 3);
  const offset = (index * 7919) % (noiseTable.length - pixels.length);
  const scale = amplitude / 128;
  let p = 0;
  for (let y = 0; y < height; y++) {
    const g = (40 + (y * 120) / height) | 0;
    for (let x = 0; x < width; x++) {
      const r = (50 + (x * 100) / width) | 0;
      const n = ((noiseTable[offset + p]! - 128) * scale) | 0;
      pixels[p] = clamp(r + n);
      pixels[p + 1] = clamp(g + n);
      pixels[p + 2] = clamp(110 + n);
      p += 3;
    }
  }
  return pixels;
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shapes on orbits whose phase depends on the frame, and the label. */
function overlaySvg(width: number, height: number, cameraId: string, index: number, ring: number) {
  const phase = (index / ring) * 2 * Math.PI;
  const unit = Math.min(width, height);
  const cx = width / 2 + Math.cos(phase) * width * 0.3;
  const cy = height / 2 + Math.sin(phase) * height * 0.3;
  const rx = width / 2 - Math.cos(phase * 2) * width * 0.35 - unit * 0.1;
  const ry = height / 2 + Math.sin(phase * 2) * height * 0.2 - unit * 0.1;
  const barX = ((index * width) / ring) % width;
  const font = Math.max(8, Math.round(unit / 14));
  const label = `${escapeXml(cameraId)}  #${String(index + 1).padStart(4, '0')}`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="${barX.toFixed(1)}" y="0" width="${Math.max(2, width / 40)}" height="${height}" fill="#ffffff" fill-opacity="0.25"/>` +
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${(unit * 0.12).toFixed(1)}" fill="#f5a623"/>` +
      `<rect x="${rx.toFixed(1)}" y="${ry.toFixed(1)}" width="${(unit * 0.2).toFixed(1)}" height="${(unit * 0.2).toFixed(1)}" fill="#1abc9c" transform="rotate(${((index * 360) / ring).toFixed(1)} ${(rx + unit * 0.1).toFixed(1)} ${(ry + unit * 0.1).toFixed(1)})"/>` +
      `<rect x="0" y="0" width="${width}" height="${font * 1.6}" fill="#000000" fill-opacity="0.55"/>` +
      `<text x="${font * 0.5}" y="${font * 1.2}" font-family="sans-serif" font-size="${font}" fill="#ffffff">${label}</text>` +
      `</svg>`,
  );
}

/** Renders the ring of frames (≈30 ms each at 1280x720), then serves them in a loop. */
export async function createFrameSource(options: FrameSourceOptions): Promise<FrameSource> {
  const { width, height, cameraId, quality, ringSize, noise, seed } = validate(options);
  const noiseTable = seededBytes(width * height * 3 + 7919 * 4 + 4, seed);
  const frames: Buffer[] = [];
  for (let index = 0; index < ringSize; index++) {
    const background = renderBackground(width, height, noiseTable, noise, index);
    const jpeg = await sharp(background, { raw: { width, height, channels: 3 } })
      .composite([{ input: overlaySvg(width, height, cameraId, index, ringSize) }])
      .jpeg({ quality })
      .toBuffer();
    frames.push(jpeg);
  }
  const meanBytes = frames.reduce((sum, f) => sum + f.length, 0) / frames.length;
  let cursor = 0;
  return {
    width,
    height,
    cameraId,
    frames,
    meanBytes,
    next() {
      const frame = frames[cursor]!;
      cursor = (cursor + 1) % frames.length;
      return frame;
    },
  };
}
