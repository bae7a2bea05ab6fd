/**
 * Two roles, two secrets: from another machine (127.0.0.2 stands in for a LAN
 * host) the camera token reads the pipeline list and nothing else; reads and
 * actions need the operator token or a browser signed in with it; this
 * machine is the operator; a proxy on it relaying others is not.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeStation, startStation, type TestStation } from '../helpers/station';

const CAMERA_TOKEN = 'camera-secret-1';
const OPERATOR_TOKEN = 'operator-secret-12';
const METRICS_TOKEN = 'prometheus-secret-3';
let station: TestStation | null = null;
let open: TestStation | null = null;

beforeAll(async () => {
  station = await startStation({
    token: CAMERA_TOKEN,
    adminToken: OPERATOR_TOKEN,
    metricsToken: METRICS_TOKEN,
  });
  open = await startStation({ token: CAMERA_TOKEN });
}, 30_000);

afterAll(async () => {
  station = await disposeStation(station);
  open = await disposeStation(open);
}, 30_000);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Call {
  method?: 'GET' | 'POST';
  from?: string;
  headers?: Record<string, string>;
  body?: string;
  on?: TestStation;
}

function call(path: string, options: Call = {}): Promise<Answer> {
  const target = options.on ?? station!;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        localAddress: options.from ?? '127.0.0.2',
        method: options.method ?? 'GET',
        path,
        headers: { 'Content-Type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? (options.method === 'POST' ? '{"pipeline_id":"metadata"}' : undefined));
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('reads and actions from another machine', () => {
  it('refuses them without a token, and with the camera token, as sign_in_required', async () => {
    for (const headers of [{}, bearer(CAMERA_TOKEN)]) {
      for (const path of ['/api/snapshot', '/api/sessions', '/api/sources', '/api/events']) {
        const answer = await call(path, { headers });
        expect(answer.status, path).toBe(401);
        expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'sign_in_required' });
      }
      const acted = await call('/api/default-pipeline', { method: 'POST', headers });
      expect(acted.status).toBe(401);
    }
    expect(
      station!.logs.lines.find((l) => l.event === 'http_refused' && l.code === 'sign_in_required'),
    ).toMatchObject({ remote: '127.0.0.2' });
  });

  it('lets cameras read the pipeline list with the camera token, and machines /metrics', async () => {
    expect((await call('/api/pipelines')).status).toBe(401);
    expect((await call('/api/pipelines', { headers: bearer(CAMERA_TOKEN) })).status).toBe(200);
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/metrics', { on: open! })).status).toBe(200);
  });

  it('serves /metrics only with its own token when STATION_METRICS_TOKEN is set, from anywhere', async () => {
    for (const [headers, from] of [
      [{}, '127.0.0.2'],
      [{}, '127.0.0.1'],
      [bearer(OPERATOR_TOKEN), '127.0.0.2'],
      [bearer(CAMERA_TOKEN), '127.0.0.2'],
    ] as const) {
      const refused = await call('/metrics', { headers, from });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'metrics_token_required' });
    }
    const scraped = await call('/metrics', { headers: bearer(METRICS_TOKEN) });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('station_build_info');
  });

  it('allows them with the operator token and logs who acted', async () => {
    expect((await call('/api/snapshot', { headers: bearer(OPERATOR_TOKEN) })).status).toBe(200);
    const acted = await call('/api/default-pipeline', {
      method: 'POST',
      headers: bearer(OPERATOR_TOKEN),
    });
    expect(acted.status).toBe(200);
    expect(
      station!.logs.lines.find(
        (l) => l.event === 'http_action' && l.operation === 'setDefaultPipeline',
      ),
    ).toMatchObject({ remote: '127.0.0.2', via: 'operator_token' });
  });

  it('signs a browser in with an HttpOnly, SameSite=Strict cookie that is not the token', async () => {
    const wrong = await call('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=guess-guess-guess',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(station!.logs.lines.some((l) => l.event === 'sign_in_refused')).toBe(true);

    const form = await call('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${OPERATOR_TOKEN}`,
    });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/');
    const cookie = String(form.headers['set-cookie']);
    expect(cookie).toMatch(/^station_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(OPERATOR_TOKEN);
    const session = cookie.split(';')[0]!;

    expect((await call('/api/snapshot', { headers: { Cookie: session } })).status).toBe(200);
    const thumbnail = await call('/api/sessions/none/thumbnail.jpg', {
      headers: { Cookie: session },
    });
    expect(thumbnail.status).not.toBe(401);
    expect(
      (await call('/api/sign-out', { method: 'POST', headers: { Cookie: session } })).status,
    ).toBe(200);
    expect((await call('/api/snapshot', { headers: { Cookie: session } })).status).toBe(401);
    expect(
      (await call('/api/snapshot', { headers: { Cookie: 'station_session=forged' } })).status,
    ).toBe(401);
    const page = await call('/sign-in');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/api/sign-in">');
  });

  it('reads the sign-in body as a form or JSON, and says what is wrong with any other', async () => {
    const json = await call('/api/sign-in', {
      method: 'POST',
      body: JSON.stringify({ token: OPERATOR_TOKEN }),
    });
    expect(json.status).toBe(200);
    expect(String(json.headers['set-cookie'])).toMatch(/^station_session=/);
    const malformed = await call('/api/sign-in', { method: 'POST', body: '{"token": ' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toEqual({
      ok: false,
      code: 'invalid_argument',
      message: 'Body is not valid JSON',
    });
    const plain = await call('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: OPERATOR_TOKEN,
    });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body)).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('application/x-www-form-urlencoded'),
    });
    const huge = await call('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${'x'.repeat(5000)}`,
    });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toContain('text/html');
    expect(huge.body).toContain('Body over 4096 bytes');
    expect(huge.headers['set-cookie']).toBeUndefined();
  });

  it('treats this machine as the operator, but not a proxy on it relaying another host', async () => {
    expect((await call('/api/snapshot', { from: '127.0.0.1' })).status).toBe(200);
    const relayed = await call('/api/snapshot', {
      from: '127.0.0.1',
      headers: { 'X-Forwarded-For': '192.168.1.50' },
    });
    expect(relayed.status).toBe(401);
  });

  it('without an operator token, accepts reads and actions from this machine only and warns at start', async () => {
    expect((await call('/api/snapshot', { on: open!, headers: bearer(CAMERA_TOKEN) })).status).toBe(
      401,
    );
    expect((await call('/api/snapshot', { on: open!, from: '127.0.0.1' })).status).toBe(200);
    const answer = JSON.parse((await call('/api/snapshot', { on: open! })).body) as {
      message: string;
    };
    expect(answer.message).toContain('STATION_ADMIN_TOKEN');
    expect(open!.logs.lines.some((l) => l.event === 'operator_token_missing')).toBe(true);
    expect(station!.logs.lines.some((l) => l.event === 'operator_token_missing')).toBe(false);
  });
});
