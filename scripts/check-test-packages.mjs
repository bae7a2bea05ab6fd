#!/usr/bin/env node
// First step of `npm test`: stops at once when a system package the tests
// start for real is missing, naming it and the command that installs it,
// instead of failing deep inside a tool or skipping in silence.
import { missingPackages } from './system-packages.mjs';

const missing = missingPackages();
if (missing.length) {
  console.error('npm test needs system packages that are not installed:');
  for (const entry of missing) console.error(`  ${entry.packages.join(' ')}  (${entry.for})`);
  const names = missing.flatMap((entry) => entry.packages).join(' ');
  console.error(`Install them with:  npm run test:setup`);
  console.error(`(or: sudo apt-get install -y --no-install-recommends ${names})`);
  process.exit(1);
}
