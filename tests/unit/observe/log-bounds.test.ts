import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSource } from '../../../src/main/bridge/source-spec';
import { MAX_LOGGED_STRING, boundFields } from '../../../src/main/observe/log-bounds';
import { createLogger, logFilePath, redactUrl } from '../../../src/main/observe/logger';

describe('secrets in URLs', () => {
  it('masks userinfo and every credential-like query parameter, case-insensitive', () => {
    const url =
      'rtsp://admin:hunter2@10.0.0.9:554/live?channel=1&PWD=s3cret&Token=abc&api_key=k1' +
      '&pass=p&secret=x&auth=y&sig=z&X-Amz-Signature=q&password=pw#frag';
    const masked = redactUrl(url);
    for (const secret of [
      'hunter2',
      's3cret',
      'abc',
      'k1',
      '=p&',
      '=x&',
      '=y&',
      '=z&',
      '=q&',
      'pw#',
    ]) {
      expect(masked).not.toContain(secret);
    }
    expect(masked).toBe(
      'rtsp://***@10.0.0.9:554/live?channel=1&PWD=***&Token=***&api_key=***' +
        '&pass=***&secret=***&auth=***&sig=***&X-Amz-Signature=***&password=***#frag',
    );
  });

  it('leaves other parameters alone and masks URLs inside a text (ffmpeg messages)', () => {
    expect(redactUrl('http://cam.local/mjpeg?fps=5&resolution=720')).toBe(
      'http://cam.local/mjpeg?fps=5&resolution=720',
    );
    expect(redactUrl("Opening 'http://cam/x.mjpg?user=a&pwd=b' for reading")).toBe(
      "Opening 'http://cam/x.mjpg?user=a&pwd=*** for reading",
    );
  });

  it('is what the window and the API see of a source', () => {
    expect(describeSource({ kind: 'mjpeg', url: 'http://cam/video?pwd=topsecret' })).toBe(
      'http://cam/video?pwd=***',
    );
  });
});

describe('bounded log lines', () => {
  it('cuts long strings (and strings one level down), leaving short records untouched', () => {
    const short = { event: 'x', pipeline_id: 'inspect' };
    expect(boundFields(short)).toBe(short);
    const long = 'p'.repeat(14_000);
    const out = boundFields({ event: 'stream_refused', detail: long, nested: { id: long } });
    expect(String(out.detail)).toHaveLength(
      MAX_LOGGED_STRING + ' (13744 more characters)'.length + 1,
    );
    expect((out.nested as { id: string }).id).toContain('more characters');
  });

  it('writes station.log owner-only, bounded, and narrows a file an older version left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'log-test-'));
    try {
      writeFileSync(logFilePath(dir), '', { mode: 0o644 });
      const { logger, close } = createLogger({ level: 'info', logDir: dir, stdout: false });
      logger.info({
        event: 'stream_refused',
        detail: `Unknown pipeline_id: ${'x'.repeat(14_000)}`,
      });
      logger.info(`message ${'y'.repeat(5000)}`);
      await close();
      expect(statSync(logFilePath(dir)).mode & 0o777).toBe(0o600);
      const lines = readFileSync(logFilePath(dir), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line.length).toBeLessThan(MAX_LOGGED_STRING + 200);
      expect(JSON.parse(lines[1]!).msg).toContain('more characters');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
