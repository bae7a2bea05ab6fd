#!/usr/bin/env node
// Builds the optional native JPEG decoder (native/turbo-decode) with the
// node-gyp bundled in npm. Never fails the install: without TurboJPEG or a C
// compiler the station decodes with the WebAssembly build of TurboJPEG instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addonDir = join(root, 'native', 'turbo-decode');
const FALLBACK =
  'turbo-decode not built (install libturbojpeg0-dev and a C compiler); decoding with the WebAssembly build instead';

function nodeGypScript() {
  const candidates = [];
  if (process.env.npm_execpath) {
    // .../npm/bin/npm-cli.js -> .../npm/node_modules/node-gyp/bin/node-gyp.js
    candidates.push(
      join(
        dirname(process.env.npm_execpath),
        '..',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    );
  }
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(
      dirname(process.execPath),
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((file) => existsSync(file)) ?? null;
}

function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  // Headers installed next to the node binary (Debian's nodejs, NodeSource):
  // use them instead of downloading.
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function build() {
  if (process.env.STATION_SKIP_NATIVE === '1') return 'skipped (STATION_SKIP_NATIVE=1)';
  const script = nodeGypScript();
  if (!script) return 'node-gyp not found';
  const args = [script, 'rebuild', '--loglevel=error'];
  const dir = nodeDir();
  if (dir) args.push(`--nodedir=${dir}`);
  const result = spawnSync(process.execPath, args, {
    cwd: addonDir,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status === 0) return null;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  const hint = output.match(/fatal error:[^\n]*|cannot find -l[^\n]*|not found[^\n]*/i)?.[0];
  return hint?.trim() ?? result.error?.message ?? `node-gyp exited with ${result.status}`;
}

try {
  const problem = build();
  if (problem === null) console.log('turbo-decode built (native JPEG decoding enabled)');
  else console.log(`${FALLBACK} [${problem}]`);
} catch (err) {
  console.log(`${FALLBACK} [${err instanceof Error ? err.message : String(err)}]`);
}
process.exit(0);
