import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../src/main/bridge/backoff';
import { ffmpegArgs, locateFfmpeg } from '../../../src/main/bridge/ffmpeg';
import { describeSource, parseSource } from '../../../src/main/bridge/source-spec';

describe('parseSource', () => {
  it.each([
    ['http://10.0.0.2/video.mjpg', 'mjpeg'],
    ['https://cam.lab/mjpg/video.cgi', 'mjpeg'],
    ['rtsp://10.0.0.3:554/stream1', 'ffmpeg_url'],
    ['rtsps://cam.lab/s', 'ffmpeg_url'],
    ['/dev/video0', 'v4l2'],
    ['/dev/video12', 'v4l2'],
  ])('%s is a %s source', (input, kind) => {
    const parsed = parseSource(input);
    expect(parsed.ok && parsed.spec.kind).toBe(kind);
  });

  it.each([
    'file:///etc/passwd',
    '/etc/passwd',
    '../video.mp4',
    '/dev/sda',
    '/dev/video0/../sda',
    'ftp://cam/x',
    'concat:/a|/b',
    'lavfi:testsrc',
    'not a url',
  ])('refuses %s', (input) => {
    const parsed = parseSource(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('invalid_source');
  });

  it('reads http with ffmpeg when asked', () => {
    const parsed = parseSource('http://cam/stream.m3u8', { viaFfmpeg: true });
    expect(parsed.ok && parsed.spec.kind).toBe('ffmpeg_url');
  });

  it('never describes a source with its credentials', () => {
    const parsed = parseSource('rtsp://admin:hunter2@10.0.0.3/stream');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(describeSource(parsed.spec)).toBe('rtsp://***@10.0.0.3/stream');
    const refused = parseSource('ftp://admin:hunter2@10.0.0.3/x');
    expect(JSON.stringify(refused)).not.toContain('hunter2');
  });
});

describe('ffmpegArgs', () => {
  it('asks RTSP over TCP and writes JPEGs to stdout, unpaced (the bridge paces)', () => {
    const args = ffmpegArgs({ kind: 'ffmpeg_url', url: 'rtsp://cam/s' });
    expect(args.join(' ')).toContain('-rtsp_transport tcp -i rtsp://cam/s');
    expect(args.join(' ')).toContain('-an -f image2pipe -c:v mjpeg');
    expect(args.join(' ')).not.toContain('fps=');
    expect(args.at(-1)).toBe('pipe:1');
  });

  it('opens V4L2 devices with their size, lavfi graphs at their own rate', () => {
    expect(
      ffmpegArgs({ kind: 'v4l2', device: '/dev/video0' }, { videoSize: '1280x720' }).join(' '),
    ).toContain('-f v4l2 -video_size 1280x720 -i /dev/video0');
    expect(ffmpegArgs({ kind: 'lavfi', graph: 'testsrc' }).join(' ')).toContain(
      '-re -f lavfi -i testsrc',
    );
  });
});

describe('locateFfmpeg', () => {
  it('finds ffmpeg on PATH, honours an explicit path, reports a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-path-'));
    const fake = join(dir, 'ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(locateFfmpeg(undefined, { PATH: `/nonexistent:${dir}` })).toEqual({
      ok: true,
      path: fake,
    });
    expect(locateFfmpeg(fake, { PATH: '' })).toEqual({ ok: true, path: fake });
    const missing = locateFfmpeg(undefined, { PATH: '/nonexistent' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('apt-get install ffmpeg');
    expect(locateFfmpeg(join(dir, 'nope'), {}).ok).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially to its cap, with bounded jitter, and resets', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0.2 });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[3]).toBeGreaterThanOrEqual(640);
    for (const d of delays) expect(d).toBeLessThanOrEqual(1000);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(800);
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(120);
  });

  it('states its rule when options are wrong', () => {
    expect(() => createBackoff({ initialMs: 0 })).toThrow(/0 < initialMs/);
  });
});
