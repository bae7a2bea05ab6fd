/**
 * Where `npm run screenshots` writes: docs/img, or SCREENSHOT_DIR to look at
 * new pictures before they replace the committed ones.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const DIR = process.env.SCREENSHOT_DIR
  ? resolve(process.env.SCREENSHOT_DIR)
  : resolve(__dirname, '..', '..', 'docs', 'img');

export function imagePath(name: string): string {
  mkdirSync(DIR, { recursive: true });
  return resolve(DIR, name);
}
