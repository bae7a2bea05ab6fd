/**
 * `npm run dist` where Electron cannot be downloaded: the real electron-builder
 * is pointed at a loopback port nobody listens on (ELECTRON_MIRROR and its tools'
 * mirror), and the script says so in one line, with the log's path.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');

/** A loopback port that refuses connections (opened on port 0, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function runDist(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      ['scripts/dist.mjs', '--linux', 'deb', '--publish', 'never'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run dist without a way to download Electron', () => {
  it('says so in one line and points at the full log', { timeout: 180_000 }, async () => {
    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const { code, stdout, stderr } = await runDist({
      ELECTRON_MIRROR: mirror,
      ELECTRON_BUILDER_BINARIES_MIRROR: mirror,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^npm run dist: electron-builder cannot download Electron 45\.4\.1 or its packaging tools here \(ECONNREFUSED\); build the installers on a machine with internet access \(log: .*dist[/\\]electron-builder\.log\)\.$/,
    );
  });
});
