/**
 * The Recordings view against a real headless station: a simulated camera
 * records through `record`; the session is listed; the viewer steps frames with
 * the keyboard and the chart cursor follows; the ZIP export holds the frames and
 * results.jsonl byte for byte; the MP4 export plays in Chromium at its length.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFleet } from './helpers/cameras';
import { startStation, type StationProcess } from './helpers/station-process';

let station: StationProcess;
let sessionDir: string;

test.beforeAll(async () => {
  station = await startStation();
  const fleet = await startFleet({
    url: station.cameraUrl,
    count: 1,
    fps: 10,
    prefix: 'rec',
    pipelineId: 'record',
    width: 640,
    height: 360,
  });
  await new Promise((r) => setTimeout(r, 3500));
  await fleet.stop();
  const cameraDir = join(station.dataDir, 'recordings', 'rec-01');
  sessionDir = join(cameraDir, readdirSync(cameraDir)[0]!);
});

test.afterAll(async () => {
  await station?.stop();
});

const lines = () =>
  readFileSync(join(sessionDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; time: string });

async function openSession(page: Page): Promise<void> {
  await page.goto(station.baseUrl);
  await page.getByRole('button', { name: 'Recordings' }).click();
  const row = page.getByTestId('recording-session');
  await expect(row).toHaveCount(1);
  await row.locator('.recording-open').click();
  await expect(page.getByTestId('frame-position')).toHaveText(`1 / ${lines().length}`);
}

/** The x of the chart cursor's line, in px from the plot's left edge (NaN while unplaced). */
async function cursorX(page: Page): Promise<number> {
  // uPlot moves the cursor line with an inline `transform: translate(Xpx, Ypx)`.
  const style = await page
    .locator('.chart-row')
    .first()
    .locator('.u-cursor-x')
    .getAttribute('style');
  const match = /translate\((-?[\d.]+)px/.exec(style ?? '');
  return match ? Number(match[1]) : NaN;
}

test('lists the session; the viewer steps frames and the chart cursor follows', async ({
  page,
}) => {
  const recorded = lines();
  expect(recorded.length).toBeGreaterThanOrEqual(15);
  await openSession(page);
  const viewer = page.getByTestId('session-viewer');
  await expect(page.getByTestId('recorded-frame')).toHaveAttribute('data-file', recorded[0]!.file);
  await expect(page.locator('.chart-row')).not.toHaveCount(0);
  await viewer.focus();
  // At the first frame the cursor is on the chart's left edge.
  await expect.poll(() => cursorX(page)).toBe(0);
  const start = await cursorX(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-position')).toHaveText(`4 / ${recorded.length}`);
  await expect(page.getByTestId('recorded-frame')).toHaveAttribute('data-file', recorded[3]!.file);
  await expect(page.getByTestId('results-chart')).toHaveAttribute('data-position', '3');
  await expect.poll(() => cursorX(page)).toBeGreaterThan(start);
  const afterSteps = await cursorX(page);
  await page.keyboard.press('End');
  await expect(page.getByTestId('frame-position')).toHaveText(
    `${recorded.length} / ${recorded.length}`,
  );
  await expect.poll(() => cursorX(page)).toBeGreaterThan(afterSteps);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.getByTestId('frame-position')).toHaveText(
    `${recorded.length - 10} / ${recorded.length}`,
  );
  // The cursor sits where the chart's linear time axis puts this frame's time.
  const box = await page.locator('.chart-row .u-over').first().boundingBox();
  const width = box?.width ?? 0;
  const t = (k: number) => Date.parse(recorded[k]!.time);
  const at = recorded.length - 11;
  const expectedX = ((t(at) - t(0)) / (t(recorded.length - 1) - t(0))) * width;
  await expect.poll(async () => Math.abs((await cursorX(page)) - expectedX)).toBeLessThan(2);
});

test('ZIP export holds the frames and results.jsonl byte-identical to disk', async ({ page }) => {
  await openSession(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-zip').click(),
  ]);
  const zip = test.info().outputPath('session.zip');
  await download.saveAs(zip);
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
  expect(names.sort()).toEqual(readdirSync(sessionDir).sort());
  for (const name of names) {
    const inZip = execFileSync('unzip', ['-p', zip, name], { maxBuffer: 1 << 26 });
    expect(inZip.equals(readFileSync(join(sessionDir, name))), name).toBe(true);
  }
});

test('MP4 export plays in Chromium with the duration of frames / fps', async ({ page }) => {
  await openSession(page);
  const href = await page.getByTestId('export-mp4').getAttribute('href');
  const recorded = lines();
  const span = (Date.parse(recorded.at(-1)!.time) - Date.parse(recorded[0]!.time)) / 1000;
  const fps = (recorded.length - 1) / span;
  const expectedSeconds = recorded.length / fps;
  const player = await page.context().newPage();
  await player.setContent(`<video id="v" muted preload="auto" src="${href}"></video>`);
  // Evaluated in the page: resolves with the <video>'s duration once its metadata is read.
  const duration = await player.evaluate<number>(`new Promise((resolve, reject) => {
    const v = document.getElementById('v');
    if (v.readyState >= 1) resolve(v.duration);
    v.addEventListener('loadedmetadata', () => resolve(v.duration));
    v.addEventListener('error', () => reject(new Error('media error ' + (v.error && v.error.code))));
  })`);
  expect(Number.isFinite(duration)).toBe(true);
  expect(Math.abs(duration - expectedSeconds) / expectedSeconds).toBeLessThan(0.1);
});

// Last: it deletes the session the tests above share.
test('deleting a session asks first; Keep keeps it, Delete removes it from the list and the disk', async ({
  page,
}) => {
  await page.goto(station.baseUrl);
  await page.getByRole('button', { name: 'Recordings' }).click();
  const row = page.getByTestId('recording-session');
  await row.getByRole('button', { name: 'delete…' }).click();
  await row.getByRole('button', { name: 'Keep' }).click();
  await expect(row.getByRole('button', { name: 'delete…' })).toBeVisible();
  expect(existsSync(sessionDir)).toBe(true);

  await row.getByRole('button', { name: 'delete…' }).click();
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row).toHaveCount(0);
  expect(existsSync(sessionDir)).toBe(false);
});
