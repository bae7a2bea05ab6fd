/** `npm test` stops at once, naming the missing system package and how to install it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const CHECK = join(ROOT, 'scripts', 'check-test-packages.mjs');

function check(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [CHECK], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('the system-package check before npm test', () => {
  it('names each missing package, what needs it, and the command that installs it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-packages-'));
    try {
      const result = check({ SYSTEM_PACKAGES_ROOT: empty });
      expect(result.status).toBe(1);
      for (const name of ['chromium', 'prometheus', 'ffmpeg', 'python3-websockets', 'systemd'])
        expect(result.stderr).toContain(name);
      expect(result.stderr).toContain('npm run test:setup');
      expect(result.stderr).toMatch(/sudo apt-get install -y --no-install-recommends chromium/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('passes on a machine set up by npm run test:setup', () => {
    const result = check({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs first in npm test, and test:setup installs what .ci/run needs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toMatch(/^node scripts\/check-test-packages\.mjs && /);
    expect(pkg.scripts['test:setup']).toBe('node scripts/test-setup.mjs');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain('npm run test:setup');
  });
});
