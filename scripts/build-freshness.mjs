// Whether the built app in out/ is missing or older than the sources in src/,
// for the scripts that build on first use (run-cli.mjs, start-desktop.mjs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `entry` or any of `alsoNeeded` is missing, or `entry` is older than src/. */
export function buildIsStale(root, entry, alsoNeeded = []) {
  if (![entry, ...alsoNeeded].every((file) => existsSync(file))) return true;
  return statSync(entry).mtimeMs < newestMtime(join(root, 'src'));
}
