#!/usr/bin/env node
// The `foregsyte-station` command: runs the headless station (building it first if needed).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'run-cli.mjs');
const child = spawnSync(process.execPath, [runner, 'headless', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(child.status ?? 1);
