#!/usr/bin/env node
// `npm run test:setup`: installs, with apt-get, the system packages the tests
// start for real (Debian/Ubuntu; uses sudo when not root). Then `npm test`.
import { spawnSync } from 'node:child_process';
import { allPackageNames, missingPackages } from './system-packages.mjs';

const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

function run(argv) {
  console.error(`$ ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
  if (result.error) {
    console.error(`Cannot run ${argv[0]}: ${result.error.message}`);
    console.error('npm run test:setup needs apt-get (Debian or Ubuntu).');
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([...sudo, 'apt-get', 'update', '-q']);
run([...sudo, 'apt-get', 'install', '-y', '-q', '--no-install-recommends', ...allPackageNames()]);
const still = missingPackages();
if (still.length) {
  for (const entry of still)
    console.error(`still missing after install: ${entry.packages.join(' ')}`);
  process.exit(1);
}
console.error('System packages for the tests are installed. Next: npm ci && npm test');
