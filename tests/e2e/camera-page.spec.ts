/**
 * The camera page in Debian's Chromium with a fake camera: frames reach the
 * station, results come back, slow_down lowers the page's rate and it
 * recovers; an insecure origin explains itself.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  slowPipeline,
  startStation as startHeadlessStation,
  type StationProcess as HeadlessStation,
} from './helpers/station-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './helpers/chromium';

test.use({
  browserName: 'chromium',
  headless: true,
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // A LAN-like name for the station, to see the page on an insecure origin.
      '--host-resolver-rules=MAP station.lab.test 127.0.0.1',
    ],
  },
});

let station: HeadlessStation | null = null;
test.afterEach(async () => {
  await station?.stop();
  station = null;
});

interface SessionRow {
  session_id: string;
  camera_id: string;
  pipeline_id: string;
  frame_index: number;
  processed: number;
}

async function sessions(s: HeadlessStation): Promise<SessionRow[]> {
  const response = await fetch(`${s.baseUrl}/api/sessions`);
  return (await response.json()) as SessionRow[];
}

async function count(page: Page, id: string): Promise<number> {
  return Number(await page.getByTestId(id).textContent());
}

async function startCamera(page: Page, name: string, pipeline: string, fps: string): Promise<void> {
  await page.getByTestId('name').fill(name);
  await expect(page.getByTestId('pipeline').locator(`option[value="${pipeline}"]`)).toHaveCount(1);
  await page.getByTestId('pipeline').selectOption(pipeline);
  await page.getByTestId('resolution').selectOption('320x240');
  await page.getByTestId('fps').fill(fps);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('state')).toHaveText('streaming', { timeout: 15_000 });
}

test('streams the fake camera to the station and shows the results', async ({ page }) => {
  station = await startHeadlessStation();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${station.baseUrl}/camera`);
  await expect(page.locator('#insecure')).toBeHidden();
  await expect(page.getByTestId('device').locator('option')).not.toHaveCount(0);
  await startCamera(page, 'page-cam', 'metadata', '10');

  await expect.poll(() => count(page, 'processed'), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('result')).toContainText('"format": "jpeg"');
  await expect(page.getByTestId('encode')).toContainText(' ms');
  const row = (await sessions(station)).find((x) => x.camera_id === 'page-cam');
  expect(row).toMatchObject({ pipeline_id: 'metadata' });
  expect(row!.frame_index).toBeGreaterThanOrEqual(5);

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('state')).toHaveText('stopped');
  await expect.poll(async () => (await sessions(station!)).length).toBe(0);
  // Every sent frame was answered or is accounted for by the station.
  const sent = await count(page, 'sent');
  const answered = (await count(page, 'processed')) + (await count(page, 'dropped'));
  expect(answered).toBeLessThanOrEqual(sent);
  expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
});

test('slow_down lowers the page rate, and it recovers when the station keeps up', async ({
  page,
}) => {
  station = await startHeadlessStation({
    pipelines: { 'slow.json': slowPipeline('slow', 250) },
    args: ['--rate-window-ms', '1000', '--slowdown-interval-ms', '300'],
  });
  await page.goto(`${station.baseUrl}/camera`);
  await startCamera(page, 'slow-cam', 'slow', '15');

  await expect.poll(() => count(page, 'slowdowns'), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  const rate = page.getByTestId('rate');
  await expect(rate).toContainText('asked 15');
  const limit = Number(await rate.getAttribute('data-limit-fps'));
  expect(limit).toBeLessThan(15);
  expect(limit).toBeGreaterThan(0);

  // The technician switches the camera to a fast pipeline: warnings stop, the page recovers.
  const row = (await sessions(station)).find((x) => x.camera_id === 'slow-cam');
  const switched = await fetch(`${station.baseUrl}/api/sessions/${row!.session_id}/pipeline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pipeline_id: 'noop' }),
  });
  expect(switched.status).toBe(200);
  await expect(rate).toHaveText('15 fps', { timeout: 30_000 });
  await expect(rate).toHaveAttribute('data-limit-fps', '15');
});

test('reconnects after a station restart; stops for good when a technician disconnects it', async ({
  page,
}) => {
  station = await startHeadlessStation();
  const port = station.port;
  await page.goto(`${station.baseUrl}/camera`);
  await startCamera(page, 'steady-cam', 'metadata', '10');
  await expect.poll(() => count(page, 'processed'), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);

  await station.stop();
  await expect(page.getByTestId('state')).toHaveText('reconnecting…');
  station = await startHeadlessStation({ args: ['--port', String(port)] }); // the last --port wins;
  await expect(page.getByTestId('state')).toHaveText('streaming', { timeout: 30_000 });
  await expect
    .poll(
      async () =>
        (await sessions(station!)).find((x) => x.camera_id === 'steady-cam')?.frame_index ?? 0,
      {
        timeout: 20_000,
      },
    )
    .toBeGreaterThanOrEqual(3);

  const row = (await sessions(station)).find((x) => x.camera_id === 'steady-cam');
  const response = await fetch(`${station.baseUrl}/api/sessions/${row!.session_id}/disconnect`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
  await expect(page.getByTestId('state')).toHaveText('stopped');
  await expect(page.getByTestId('message')).toContainText('technician disconnected');
  await expect(page.getByTestId('start')).toBeEnabled();
  await expect.poll(async () => (await sessions(station!)).length).toBe(0);
});

test('streams to a station with a token given in the page, and explains a wrong one', async ({
  page,
}) => {
  station = await startHeadlessStation({ args: ['--token', 'page-token-123'] });
  await page.goto(`${station.baseUrl}/camera`);
  await page.locator('#token').fill('not-the-token');
  await page.getByTestId('name').fill('token-cam');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('state')).toHaveText('reconnecting…');
  await expect(page.getByTestId('message')).toContainText('wrong token');
  await page.getByTestId('stop').click();

  await page.locator('#token').fill('page-token-123');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('state')).toHaveText('streaming', { timeout: 15_000 });
  await expect.poll(() => count(page, 'processed'), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
});

test('on an insecure origin the page explains how to reach the camera', async ({ page }) => {
  station = await startHeadlessStation({ args: ['--allowed-origins', 'http://station.lab.test'] });
  await page.goto(`http://station.lab.test:${station.port}/camera`);
  const banner = page.locator('#insecure');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(
    `--unsafely-treat-insecure-origin-as-secure=http://station.lab.test:${station.port}`,
  );
  await expect(page.getByTestId('start')).toBeDisabled();
});
