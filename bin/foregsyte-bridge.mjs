#!/usr/bin/env node
// The `foregsyte-bridge` command: runs the built bridge CLI (building it first if needed).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'run-cli.mjs');
const child = spawnSync(process.execPath, [runner, 'bridge', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(child.status ?? 1);
