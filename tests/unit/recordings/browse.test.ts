import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingBrowser } from '../../../src/main/recordings/browse';
import { parseRange } from '../../../src/main/recordings/range';
import { recordingsDir } from './fixtures';

let fixture: Awaited<ReturnType<typeof recordingsDir>>;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
beforeEach(async () => (fixture = await recordingsDir()));
afterEach(() => fixture.cleanup());

describe('recordings browser', () => {
  it('lists cameras and sessions with times, frames, bytes and pipeline', async () => {
    const jpegs = await fixture.record('scope-1', 'sess-a', 5, T0);
    await fixture.record('scope-1', 'sess-b', 2, T0 + 60_000);
    await fixture.record('bench-3', 'sess-c', 1, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const list = await browser.list();
    expect(list.map((c) => c.camera_id)).toEqual(['bench-3', 'scope-1']);
    const scope = list[1]!;
    expect(scope.sessions.map((s) => s.session_id)).toEqual(['sess-b', 'sess-a']);
    const results = await stat(join(fixture.dir, 'scope-1', 'sess-a', 'results.jsonl'));
    expect(scope.sessions[1]).toEqual({
      camera_id: 'scope-1',
      session_id: 'sess-a',
      started_at: '2026-03-01T10:00:00.000Z',
      ended_at: '2026-03-01T10:00:00.400Z',
      frames: 5,
      bytes: jpegs.reduce((n, j) => n + j.length, 0) + results.size,
      pipeline: { id: 'record', version: 'v1' },
    });
  });

  it('pages frames with their numeric results flattened', async () => {
    await fixture.record('scope-1', 'sess-a', 12, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const page = await browser.page('scope-1', 'sess-a', 10, 5);
    expect(page.ok && page.value.total).toBe(12);
    if (!page.ok) return;
    expect(page.value.offset).toBe(10);
    expect(page.value.frames).toEqual([
      {
        position: 10,
        frame_index: 11,
        file: '00000011.jpg',
        time: '2026-03-01T10:00:01.000Z',
        values: { 'sharpness.laplacian_variance': 390, 'sharpness.width': 320 },
      },
      {
        position: 11,
        frame_index: 12,
        file: '00000012.jpg',
        time: '2026-03-01T10:00:01.100Z',
        values: { 'sharpness.laplacian_variance': 380, 'sharpness.width': 320 },
      },
    ]);
    const beyond = await browser.page('scope-1', 'sess-a', 99, 5);
    expect(beyond.ok && beyond.value.frames).toEqual([]);
  });

  it('reads only what was appended, and waits for a line still being written', async () => {
    await fixture.record('scope-1', 'sess-a', 3, T0);
    const browser = createRecordingBrowser(fixture.dir);
    expect((await browser.page('scope-1', 'sess-a', 0, 10)).ok).toBe(true);
    const results = join(fixture.dir, 'scope-1', 'sess-a', 'results.jsonl');
    await appendFile(
      results,
      '{"frame_index":4,"file":"00000004.jpg","time":"2026-03-01T10:00:01Z","res',
    );
    const partial = await browser.page('scope-1', 'sess-a', 0, 10);
    expect(partial.ok && partial.value.total).toBe(3);
    await appendFile(results, 'ult":{"a":{"b":7}}}\n');
    const whole = await browser.page('scope-1', 'sess-a', 3, 10);
    expect(whole.ok && whole.value.frames.map((f) => [f.frame_index, f.values])).toEqual([
      [4, { 'a.b': 7 }],
    ]);
  });

  it('finds frames and refuses ids that are not a recording', async () => {
    const jpegs = await fixture.record('scope-1', 'sess-a', 2, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const found = await browser.framePath('scope-1', 'sess-a', '00000002.jpg');
    expect(found.ok && (await readFile(found.value))).toEqual(jpegs[1]);
    for (const [camera, session, file] of [
      ['..', 'sess-a', '00000002.jpg'],
      ['scope-1', '..', 'results.jsonl'],
      ['scope-1', 'sess-a', '../../x.jpg'],
      ['scope-1', 'sess-a', 'results.jsonl'],
      ['scope-1', 'sess-a', '00000009.jpg'],
      ['a/b', 'sess-a', '00000001.jpg'],
    ] as const) {
      expect(
        await browser.framePath(camera, session, file),
        `${camera} ${session} ${file}`,
      ).toMatchObject({
        ok: false,
        code: 'unknown_recording',
      });
    }
    expect(await browser.page('nope', 'sess-a', 0, 1)).toMatchObject({
      ok: false,
      code: 'unknown_recording',
    });
  });

  it('deletes a session and says what it held', async () => {
    await fixture.record('scope-1', 'sess-a', 3, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const removed = await browser.remove('scope-1', 'sess-a');
    expect(removed.ok && removed.value.frames).toBe(3);
    await expect(stat(join(fixture.dir, 'scope-1', 'sess-a'))).rejects.toThrow();
    expect(await browser.list()).toEqual([]);
    expect(await browser.remove('scope-1', 'sess-a')).toMatchObject({ ok: false });
  });
});

describe('Range header', () => {
  it('answers single ranges and refuses unsatisfiable ones', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'full' });
  });
});

describe('camera folders', () => {
  it("finds a camera whose id is not a safe file name under the store's folder for it", async () => {
    await fixture.record('..', 'sess-a', 2, T0);
    const browser = createRecordingBrowser(fixture.dir);
    const list = await browser.list();
    expect(list.map((c) => c.camera_id)).toEqual(['..']);
    const page = await browser.page('..', 'sess-a', 0, 10);
    expect(page.ok && page.value.total).toBe(2);
    const frame = await browser.framePath('..', 'sess-a', '00000001.jpg');
    expect(frame.ok && frame.value).toBe(join(fixture.dir, '=2e2e', 'sess-a', '00000001.jpg'));
  });
});
