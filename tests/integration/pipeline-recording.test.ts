/**
 * The `record` pipeline in a real station process: frames on disk are the
 * frames sent, and results.jsonl stays parseable line by line when the process
 * is killed with SIGKILL mid-stream (at most the frame in flight is missing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir, makeJpeg, removeDir, TestCamera } from '../helpers/station';

const ROOT = resolve(__dirname, '..', '..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** The headless station from sources (tsx), so no build is needed. */
async function startHeadless(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/main/cli/headless.ts'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--default-pipeline',
      'record',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /"event":"station_listening"[^\n]*"port":(\d+)/.exec(stdout);
    if (match) return { child, port: Number(match[1]) };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`station did not start; stderr: ${stderr}`);
}

describe('record pipeline, station killed mid-stream', () => {
  it('keeps every answered frame on disk and results.jsonl parseable after SIGKILL', async () => {
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const { child, port } = await startHeadless(dataDir);
    const cam = new TestCamera(
      `ws://127.0.0.1:${port}/ws/video/stream?pipeline_id=record&camera_id=kill-cam`,
    );
    await cam.opened;
    await cam.until((m) => m.some((x) => 'hello' in x));
    const sessionId = cam.hello().session_id as string;

    // Distinct frames, so each file can be matched to the frame sent.
    const frames = await Promise.all(
      Array.from({ length: 12 }, (_, i) => makeJpeg(320, 240, 10 + i * 7)),
    );
    const sent = new Map<number, Buffer>();
    let index = 0;
    const send = () => {
      const jpeg = frames[index % frames.length]!;
      index++;
      sent.set(index, jpeg);
      cam.send(jpeg);
    };
    // Ten frames one at a time, then a burst, killed while it is being processed.
    for (let i = 0; i < 10; i++) {
      send();
      await cam.until((m) => m.filter((x) => x.frame_index === index).length === 1);
    }
    for (let i = 0; i < 5; i++) send();
    await cam.until((m) => m.some((x) => x.frame_index === 11));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const stored = cam
      .replies()
      .filter((r) => (r.result as { store?: { stored?: boolean } })?.store?.stored === true)
      .map((r) => r.frame_index as number);
    expect(stored.length).toBeGreaterThanOrEqual(11);

    const dir = join(dataDir, 'recordings', 'kill-cam', sessionId);
    const text = readFileSync(join(dir, 'results.jsonl'), 'utf8');
    const lines = text.split('\n').filter((l) => l.length > 0);
    const records = lines.map((line) => JSON.parse(line) as { frame_index: number; file: string });
    const recorded = records.map((r) => r.frame_index);
    // Every answered frame is there; at most one more (the one in flight) besides.
    for (const frameIndex of stored) expect(recorded).toContain(frameIndex);
    expect(recorded.length - stored.length).toBeLessThanOrEqual(1);
    expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
    for (const record of records) {
      const path = join(dir, record.file);
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path).equals(sent.get(record.frame_index)!)).toBe(true);
    }
    // No JPEG without its line, except possibly the frame in flight.
    const jpegs = readdirSync(dir).filter((f) => f.endsWith('.jpg'));
    expect(jpegs.length - records.length).toBeLessThanOrEqual(1);
  });
});
