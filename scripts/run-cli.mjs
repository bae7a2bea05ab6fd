#!/usr/bin/env node
// Runs a built CLI (out/main/<name>.js), building first when the build is
// missing or older than the sources, so `npm run headless` works in a fresh clone.
// SIGTERM, SIGINT and SIGHUP reach the CLI, and this exits with its code (supervise.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale } from './build-freshness.mjs';
import { runSupervised } from './supervise.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error('usage: node scripts/run-cli.mjs <headless|simulate|preflight|bridge> [args...]');
  process.exit(2);
}

const built = join(root, 'out', 'main', `${name}.js`);
const stale = buildIsStale(root, built, [join(root, 'out', 'renderer', 'index.html')]);
if (stale) {
  console.error('Building the station (first run, or sources changed)...');
  const build = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!existsSync(built)) {
  console.error(`No such command: ${name}`);
  process.exit(2);
}

runSupervised(built, args);
