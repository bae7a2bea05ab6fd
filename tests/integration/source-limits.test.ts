/**
 * Sources a peer adds cannot reach this machine or a cloud metadata service,
 * and ffmpeg never follows a playlist to other hosts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { localAddressProblem } from '../../src/main/bridge/source-address';
import { ffmpegArgs, locateFfmpeg } from '../../src/main/bridge/ffmpeg';
import { disposeStation, startStation, type TestStation } from '../helpers/station';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('source limits', () => {
  let s: TestStation | null = null;
  const servers: Server[] = [];
  afterEach(async () => {
    s = await disposeStation(s);
    for (const server of servers.splice(0)) server.close();
  });

  it('knows loopback and metadata addresses, and leaves link-local and LAN cameras alone', () => {
    for (const url of [
      'http://127.0.0.1:22/',
      'http://127.5.6.7/x',
      'http://localhost:8080/',
      'http://cam.localhost/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'rtsp://[fd00:ec2::254]/',
    ]) {
      expect(localAddressProblem(url), url).not.toBeNull();
    }
    for (const url of [
      'http://169.254.10.20/video.mjpg',
      'http://192.168.1.50/video.mjpg',
      'rtsp://10.0.0.9:554/stream1',
      'http://[fe80::1]/x',
      '/dev/video0',
    ]) {
      expect(localAddressProblem(url), url).toBeNull();
    }
  });

  it('refuses API sources to loopback and metadata addresses unless STATION_SOURCES_ALLOW_LOCAL', async () => {
    s = await startStation();
    const add = async (url: string, camera_id: string) => {
      const res = await fetch(s!.http('/api/sources'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, camera_id }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await add('http://127.0.0.1:22/', 'ssh')).toMatchObject({
      status: 400,
      body: {
        ok: false,
        code: 'source_address_refused',
        message: expect.stringContaining('this machine (loopback)'),
      },
    });
    expect(await add('http://169.254.169.254/latest/meta-data/?token=abc', 'meta')).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('cloud metadata') },
    });
    expect(s.station.snapshot().sources).toEqual([]);
    const refused = s.logs.lines.filter((l) => l.event === 'source_refused');
    expect(refused).toHaveLength(2);
    expect(JSON.stringify(refused)).not.toContain('abc');
    // A camera on the LAN (an address that refuses at once here) is accepted.
    expect(await add('http://192.0.2.1:9/video.mjpg', 'lan-cam')).toMatchObject({ status: 200 });
  });

  it('ffmpeg does not follow an HLS playlist to another host', async () => {
    const ffmpeg = locateFfmpeg(undefined);
    if (!ffmpeg.ok) return expect.fail('ffmpeg is needed for this test');
    let fetchedElsewhere = 0;
    const elsewhere = await listen((_req, res) => {
      fetchedElsewhere++;
      res.end();
    });
    servers.push(elsewhere);
    const playlist = await listen((_req, res) => {
      res.setHeader('content-type', 'application/vnd.apple.mpegurl');
      res.end(
        `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:${portOf(elsewhere)}/internal.ts\n#EXT-X-ENDLIST\n`,
      );
    });
    servers.push(playlist);
    const url = `http://127.0.0.1:${portOf(playlist)}/live.m3u8`;
    const child = spawn(ffmpeg.path, ffmpegArgs({ kind: 'ffmpeg_url', url }), { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/not on whitelist|Invalid data/i);
    expect(fetchedElsewhere).toBe(0);
  });
});
