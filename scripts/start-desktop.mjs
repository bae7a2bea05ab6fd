#!/usr/bin/env node
// `npm start`: opens the desktop app. Finds the Electron binary without ever
// downloading it; when it is missing, says how to get it and what works meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The installed Electron executable, or null (reading path.txt: requiring 'electron' would download). */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative || 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = join(electronDir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const binary = electronBinary();
if (!binary) {
  console.error(
    [
      'The Electron binary is not installed, so the desktop window cannot open here.',
      'Electron fetches its binary on first use; on a machine with internet access, run',
      '`node node_modules/electron/install.js` (or `npx electron --version`) in this folder once,',
      'then `npm start` again. Meanwhile `npm run headless` runs the same station and serves the',
      'same dashboard in a browser at http://127.0.0.1:8765/ (see its start-up lines for the URLs).',
    ].join('\n'),
  );
  process.exit(1);
}

const entry = join(root, 'out', 'main', 'index.js');
const stale =
  !existsSync(entry) ||
  !existsSync(join(root, 'out', 'preload', 'index.js')) ||
  !existsSync(join(root, 'out', 'renderer', 'index.html')) ||
  statSync(entry).mtimeMs < newestMtime(join(root, 'src'));
if (stale) {
  console.error('Building the app (first run, or sources changed)...');
  const build = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
