/** The systemd unit in docs/operations.md, checked by systemd itself (`systemd-analyze verify`). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ANALYZE = '/usr/bin/systemd-analyze';
const DOC = resolve(__dirname, '..', '..', 'docs', 'operations.md');

function unitFromDocs(): string {
  const match = /```ini\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'));
  if (!match?.[1]) throw new Error('docs/operations.md has no ```ini unit block');
  return match[1];
}

if (!existsSync(ANALYZE)) {
  console.warn(
    `systemd unit check skipped: ${ANALYZE} is missing (Debian/Ubuntu: sudo apt-get install systemd)`,
  );
}

describe.skipIf(!existsSync(ANALYZE))('the systemd unit in docs/operations.md', () => {
  it('passes `systemd-analyze verify` with no complaint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    try {
      let unit = unitFromDocs();
      // The unit names Debian's /usr/bin/node; elsewhere check it with this machine's node.
      if (!existsSync('/usr/bin/node')) unit = unit.replaceAll('/usr/bin/node', process.execPath);
      const file = join(dir, 'foregsyte-station.service');
      writeFileSync(file, unit);
      const result = spawnSync(ANALYZE, ['verify', '--man=no', file], { encoding: 'utf8' });
      const complaints = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => line.includes('foregsyte-station.service'));
      expect(complaints).toEqual([]);
      expect(result.status).toBe(0);
      expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
      expect(unit).toMatch(/^ExecStart=\S+node \S+headless\.js$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('would catch a broken unit (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    try {
      const file = join(dir, 'foregsyte-station.service');
      writeFileSync(file, unitFromDocs().replace('KillSignal=', 'KillSignl='));
      const result = spawnSync(ANALYZE, ['verify', '--man=no', file], { encoding: 'utf8' });
      expect(result.stderr).toMatch(/Unknown key 'KillSignl'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
