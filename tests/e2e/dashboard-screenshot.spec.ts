/**
 * The README's picture of the dashboard: several simulated cameras on real
 * pipelines, one flooded, one gone. Taken by this test, never drawn.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { startFleet } from './helpers/cameras';
import { slowPipeline, startStation } from './helpers/station-process';

const README_IMAGE = resolve(__dirname, '..', '..', 'docs', 'img', 'dashboard.png');

test('README screenshot: several cameras streaming', async ({ page }) => {
  test.setTimeout(120_000);
  const station = await startStation({ pipelines: { 'slow.json': slowPipeline('slow', 300) } });
  const common = { url: station.cameraUrl, width: 640, height: 360 };
  const fleets = [
    await startFleet({ ...common, count: 3, fps: 5, prefix: 'bench', pipelineId: 'inspect' }),
    await startFleet({ ...common, count: 1, fps: 5, prefix: 'door', pipelineId: 'motion' }),
    await startFleet({ ...common, count: 1, fps: 12, prefix: 'conveyor', pipelineId: 'slow' }),
  ];
  const leaving = await startFleet({ ...common, count: 1, fps: 5, prefix: 'microscope' });
  try {
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('camera-card')).toHaveCount(6);
    await leaving.stop();
    await expect(page.getByTestId('offline-camera')).toHaveCount(1);
    await expect(
      page.locator('[data-testid="camera-card"][data-camera-id="conveyor-01"]'),
    ).toHaveAttribute('data-state', 'slow_down');
    await expect(page.locator('.thumb img')).toHaveCount(4);
    // A few seconds of history in the sparklines.
    await page.waitForTimeout(8000);
    await page.getByTestId('sort-select').selectOption('state');
    await page.waitForTimeout(500);

    const shot = test.info().outputPath('dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    await test.info().attach('dashboard', { path: shot, contentType: 'image/png' });
    mkdirSync(join(README_IMAGE, '..'), { recursive: true });
    copyFileSync(shot, README_IMAGE);
  } finally {
    for (const fleet of fleets) await fleet.stop();
    await station.stop();
  }
});
