/**
 * `npm start` (scripts/start-desktop.mjs) as a process, against a copy of the
 * script in a scratch app folder with a stand-in Electron binary
 * (ELECTRON_OVERRIDE_DIST_PATH): the missing-binary message, the build's own
 * error, the sandbox-helper hint, and a clean environment for Electron.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'start-desktop.mjs');
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'start-desktop-'));
  scratch.push(dir);
  return dir;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** An app folder holding a copy of the script (and what it imports), the project's node_modules and `files`. */
function appFolder(files: Record<string, string>): string {
  const app = tempDir();
  mkdirSync(join(app, 'scripts'));
  for (const script of [SCRIPT, join(ROOT, 'scripts', 'build-freshness.mjs')]) {
    copyFileSync(script, join(app, 'scripts', basename(script)));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) write(join(app, path), text);
  return app;
}

/** A stand-in Electron: records its arguments and environment, prints `stderr`, exits `code`. */
function standInElectron(stderr: string, code: number): { dir: string; record: string } {
  const dir = tempDir();
  const record = join(dir, 'record.json');
  write(
    join(dir, 'electron'),
    [
      '#!/bin/sh',
      `printf '{"args":"%s","runAsNode":"%s"}' "$*" "\${ELECTRON_RUN_AS_NODE:-unset}" > '${record}'`,
      `printf '%s\\n' '${stderr}' >&2`,
      `exit ${code}`,
    ].join('\n'),
  );
  chmodSync(join(dir, 'electron'), 0o755);
  return { dir, record };
}

function run(script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [script, '--inspect-station'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.replace(ANSI, '') };
}

/** Built outputs newer than the sources: no rebuild. */
const BUILT = {
  'src/main/index.ts': 'export {};\n',
  'out/main/index.js': '',
  'out/preload/index.js': '',
  'out/renderer/index.html': '',
};
function markBuilt(app: string): void {
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(app, 'src', 'main', 'index.ts'), old, old);
}

describe.runIf(process.platform === 'linux')('npm start (scripts/start-desktop.mjs)', () => {
  it('without the Electron binary: says how to get it and what works meanwhile', () => {
    const { code, stderr } = run(SCRIPT, { ELECTRON_OVERRIDE_DIST_PATH: tempDir() });
    expect(code).toBe(1);
    expect(stderr).toContain('The Electron binary is not installed');
    expect(stderr).toContain('node node_modules/electron/install.js');
    expect(stderr).toContain('npm run headless');
  });

  it('a failing build prints the build’s own error and never starts Electron', () => {
    const app = appFolder({
      'package.json': '{"name":"scratch-app","main":"out/main/index.js"}',
      'electron.vite.config.mjs': 'export default { main: {} };\n',
      'src/main/index.ts': 'export const = ;\n',
    });
    const electron = standInElectron('', 0);
    const { code, stderr } = run(join(app, 'scripts', 'start-desktop.mjs'), {
      ELECTRON_OVERRIDE_DIST_PATH: electron.dir,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('The build failed (electron-vite build, exit 1)');
    expect(stderr).toContain('Unexpected token');
    expect(stderr).toContain('src/main/index.ts:1:14');
    expect(() => readFileSync(electron.record)).toThrow();
  });

  it('Chromium refusing its sandbox helper: the two commands that fix it', () => {
    const app = appFolder(BUILT);
    markBuilt(app);
    const refusal =
      '[FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not ' +
      'configured correctly. Rather than run without sandboxing I am aborting now.';
    const electron = standInElectron(refusal, 133);
    const { code, stderr } = run(join(app, 'scripts', 'start-desktop.mjs'), {
      ELECTRON_OVERRIDE_DIST_PATH: electron.dir,
    });
    expect(code).toBe(133);
    expect(stderr).toContain(refusal);
    const helper = join(electron.dir, 'chrome-sandbox');
    expect(stderr).toContain(`  sudo chown root:root ${helper}\n  sudo chmod 4755 ${helper}\n`);
    expect(stderr).not.toContain('Building the app');
  });

  it('starts Electron on the app folder without an inherited ELECTRON_RUN_AS_NODE', () => {
    const app = appFolder(BUILT);
    markBuilt(app);
    const electron = standInElectron('window closed', 0);
    const { code, stderr } = run(join(app, 'scripts', 'start-desktop.mjs'), {
      ELECTRON_OVERRIDE_DIST_PATH: electron.dir,
      ELECTRON_RUN_AS_NODE: '1',
    });
    expect(code).toBe(0);
    expect(stderr).toBe('window closed\n');
    expect(JSON.parse(readFileSync(electron.record, 'utf8'))).toEqual({
      args: `${realpathSync(app)} --inspect-station`,
      runAsNode: 'unset',
    });
  });
});
