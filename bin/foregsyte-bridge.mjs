#!/usr/bin/env node
// The `foregsyte-bridge` command: runs scripts/run-cli.mjs bridge (building it first if needed),
// passing SIGTERM, SIGINT and SIGHUP on and exiting with its code.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSupervised } from '../scripts/supervise.mjs';

const runner = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'run-cli.mjs');
runSupervised(runner, ['bridge', ...process.argv.slice(2)]);
