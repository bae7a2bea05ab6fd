import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingBrowser } from '../../src/main/recordings/browse';
import {
  RECORDING_EXPORT,
  RECORDING_FRAME,
  sendRecordedFrame,
  sendRecordingExport,
} from '../../src/main/recordings/http';
import { recordingsDir } from '../unit/recordings/fixtures';

let fixture: Awaited<ReturnType<typeof recordingsDir>>;
let server: Server;
let base: string;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

beforeEach(async () => {
  fixture = await recordingsDir();
  const deps = { browser: createRecordingBrowser(fixture.dir), logger: pino({ level: 'silent' }) };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const frame = RECORDING_FRAME.exec(url.pathname);
    const exp = RECORDING_EXPORT.exec(url.pathname);
    const work = frame
      ? sendRecordedFrame(req, res, deps, {
          cameraId: frame[1]!,
          sessionId: frame[2]!,
          file: frame[3]!,
        })
      : sendRecordingExport(req, res, url, deps, {
          cameraId: exp![1]!,
          sessionId: exp![2]!,
          kind: exp![3] as 'zip' | 'mp4',
        });
    work.catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/recordings/scope-1/sess-a`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fixture.cleanup();
});

async function download(
  url: string,
): Promise<{ status: number; file: string; type: string | null }> {
  const res = await fetch(url);
  const file = join(fixture.dataDir, `download-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return { status: res.status, file, type: res.headers.get('content-type') };
}

const sessionDir = () => join(fixture.dir, 'scope-1', 'sess-a');

describe('recording routes', () => {
  it('serves a frame whole and by Range', async () => {
    const jpegs = await fixture.record('scope-1', 'sess-a', 2, T0);
    const whole = await fetch(`${base}/frames/00000002.jpg`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(jpegs[1]);
    const part = await fetch(`${base}/frames/00000002.jpg`, { headers: { Range: 'bytes=2-11' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 2-11/${jpegs[1]!.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(jpegs[1]!.subarray(2, 12));
    const beyond = await fetch(`${base}/frames/00000002.jpg`, {
      headers: { Range: 'bytes=999999-' },
    });
    expect(beyond.status).toBe(416);
    expect((await fetch(`${base}/frames/00000003.jpg`)).status).toBe(404);
  });

  it('exports a ZIP whose frames and results.jsonl are byte-identical to disk', async () => {
    await fixture.record('scope-1', 'sess-a', 25, T0);
    const zip = await download(`${base}/export.zip`);
    expect([zip.status, zip.type]).toEqual([200, 'application/zip']);
    const names = execFileSync('unzip', ['-Z1', zip.file], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(26);
    execFileSync('unzip', ['-tq', zip.file]);
    for (const name of names) {
      const inZip = execFileSync('unzip', ['-p', zip.file, name], { maxBuffer: 1 << 26 });
      expect(inZip.equals(await readFile(join(sessionDir(), name))), name).toBe(true);
    }
  });

  it('exports a time range: those frames and their lines only', async () => {
    await fixture.record('scope-1', 'sess-a', 20, T0);
    const from = new Date(T0 + 500).toISOString();
    const to = new Date(T0 + 900).toISOString();
    const zip = await download(`${base}/export.zip?from=${from}&to=${to}`);
    const names = execFileSync('unzip', ['-Z1', zip.file], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual([
      'results.jsonl',
      ...[6, 7, 8, 9, 10].map((i) => `0000000${i}`.slice(-8) + '.jpg'),
    ]);
    const lines = (await readFile(join(sessionDir(), 'results.jsonl'), 'utf8')).split('\n');
    expect(execFileSync('unzip', ['-p', zip.file, 'results.jsonl'], { encoding: 'utf8' })).toBe(
      `${lines.slice(5, 10).join('\n')}\n`,
    );
    expect((await fetch(`${base}/export.zip?from=nonsense`)).status).toBe(400);
    expect((await fetch(`${base}/export.zip?from=2030-01-01T00:00:00Z`)).status).toBe(404);
  });

  it('exports MP4 at the recorded rate: duration is frames / fps', async () => {
    await fixture.record('scope-1', 'sess-a', 30, T0, 100);
    const mp4 = await download(`${base}/export.mp4`);
    expect([mp4.status, mp4.type]).toEqual([200, 'video/mp4']);
    const probe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'format=duration:stream=codec_name,nb_read_frames',
        '-count_frames',
        '-of',
        'json',
        mp4.file,
      ],
      { encoding: 'utf8' },
    );
    const info = JSON.parse(probe) as {
      format: { duration: string };
      streams: { codec_name: string; nb_read_frames: string }[];
    };
    expect(info.streams[0]).toEqual({ codec_name: 'h264', nb_read_frames: '30' });
    expect(Number(info.format.duration)).toBeCloseTo(3, 1);
    expect((await fetch(`${base}/export.mp4?fps=0`)).status).toBe(400);
  });
});
