/** Serves the built dashboard (out/renderer) and the camera page. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { decodeSegment } from './request-url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Where the built renderer is: beside the built main, or under the project's out/. */
export function findRendererDir(candidates: string[]): string | null {
  for (const dir of candidates) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/** Serves `path` from `root` without ever leaving it. False when there is no such file. */
export function serveStatic(res: ServerResponse, root: string, path: string): boolean {
  const decoded = decodeSegment(path);
  if (decoded === null) return false;
  const target = resolve(root, `.${normalize(decoded)}`);
  if (target !== root && !target.startsWith(root + sep)) return false;
  let size: number;
  try {
    const stat = statSync(target);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  const immutable = target.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  });
  createReadStream(target).pipe(res);
  return true;
}
