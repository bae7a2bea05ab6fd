import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingBrowser } from '../../src/main/recordings/browse';
import { exportRecordingToFile } from '../../src/main/recordings/export-file';
import { recordingsDir } from '../unit/recordings/fixtures';

let fixture: Awaited<ReturnType<typeof recordingsDir>>;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

beforeEach(async () => {
  fixture = await recordingsDir();
});
afterEach(() => fixture.cleanup());

const request = (kind: 'zip' | 'mp4', path: string) => ({
  cameraId: 'scope-1',
  sessionId: 'sess-a',
  kind,
  path,
});

describe('a recording exported to a chosen file', () => {
  it('writes a ZIP whose frames and results.jsonl are byte-identical to disk', async () => {
    await fixture.record('scope-1', 'sess-a', 12, T0);
    const path = join(fixture.dataDir, 'out.zip');
    await writeFile(path, 'an older file in the way');
    const done = await exportRecordingToFile(
      createRecordingBrowser(fixture.dir),
      request('zip', path),
    );
    expect(done).toMatchObject({ ok: true, value: { path, frames: 12 } });
    const names = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(13);
    for (const name of names) {
      const inZip = execFileSync('unzip', ['-p', path, name], { maxBuffer: 1 << 26 });
      const onDisk = await readFile(join(fixture.dir, 'scope-1', 'sess-a', name));
      expect(inZip.equals(onDisk), name).toBe(true);
    }
    expect((await readdir(fixture.dataDir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('writes an MP4 that ffprobe reads as every frame at the recorded rate', async () => {
    await fixture.record('scope-1', 'sess-a', 20, T0, 100);
    const path = join(fixture.dataDir, 'out.mp4');
    const done = await exportRecordingToFile(
      createRecordingBrowser(fixture.dir),
      request('mp4', path),
    );
    expect(done).toMatchObject({ ok: true, value: { frames: 20 } });
    const probe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-show_entries',
        'stream=codec_name,nb_read_frames',
        '-show_entries',
        'format=duration',
        '-of',
        'json',
        path,
      ],
      { encoding: 'utf8' },
    );
    const info = JSON.parse(probe) as {
      format: { duration: string };
      streams: { codec_name: string; nb_read_frames: string }[];
    };
    expect(info.streams[0]).toEqual({ codec_name: 'h264', nb_read_frames: '20' });
    expect(Number(info.format.duration)).toBeCloseTo(2, 1);
  });

  it('answers an unknown session or an unwritable folder in words, leaving no file', async () => {
    await fixture.record('scope-1', 'sess-a', 2, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const unknown = await exportRecordingToFile(browser, {
      ...request('zip', join(fixture.dataDir, 'x.zip')),
      sessionId: 'nope',
    });
    expect(unknown).toMatchObject({ ok: false, code: 'unknown_recording' });
    const nowhere = join(fixture.dataDir, 'no-such-folder', 'out.zip');
    const refused = await exportRecordingToFile(browser, request('zip', nowhere));
    expect(refused).toMatchObject({ ok: false, code: 'internal' });
    expect(refused.ok ? '' : refused.message).toContain('check the folder is writable');
    expect(await readdir(fixture.dataDir)).not.toContain('x.zip');
  });
});
