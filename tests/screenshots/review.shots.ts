/**
 * docs/dashboard.md's and the README's pictures of the Recordings and Alerts
 * views: a real headless station, a simulated microscope whose image goes soft
 * and sharp again while it records, two bench cameras beside it.
 */
import { test } from '@playwright/test';
import sharp from 'sharp';
import WebSocket from 'ws';
import { createFrameSource } from '../../src/main/sim';
import { startFleet } from '../e2e/helpers/cameras';
import { startStation } from '../e2e/helpers/station-process';
import { imagePath } from './image-dir';

/** Sends the ring's frames at 10 fps, blurred while `soft()` says so. */
async function scopeCamera(url: string, cameraId: string, soft: () => boolean) {
  const source = await createFrameSource({ width: 960, height: 540, cameraId, ringSize: 12 });
  const blurred = await Promise.all(
    source.frames.map((f) => sharp(f).blur(3.5).jpeg({ quality: 80 }).toBuffer()),
  );
  const target = new URL(url);
  target.searchParams.set('camera_id', cameraId);
  target.searchParams.set('pipeline_id', 'record');
  const socket = new WebSocket(target);
  await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));
  let i = 0;
  const timer = setInterval(() => {
    i = (i + 1) % source.frames.length;
    socket.send(soft() ? blurred[i]! : source.frames[i]!);
  }, 100);
  return () => {
    clearInterval(timer);
    socket.close(1000, 'done');
  };
}

test('Recordings and Alerts: an alert raised and cleared, its recording opened', async ({
  page,
}) => {
  const station = await startStation();
  let soft = false;
  const stopScope = await scopeCamera(station.cameraUrl, 'microscope-3', () => soft);
  const others = await startFleet({
    url: station.cameraUrl,
    count: 2,
    fps: 5,
    prefix: 'bench',
    pipelineId: 'inspect',
    width: 640,
    height: 360,
  });
  try {
    // Sharp, soft long enough to alert, sharp (cleared), soft again (active).
    for (const [blur, ms] of [
      [false, 3000],
      [true, 4000],
      [false, 3000],
      [true, 3500],
    ] as const) {
      soft = blur;
      await page.waitForTimeout(ms);
    }
    await page.goto(station.baseUrl);
    await page.getByRole('button', { name: /^Alerts/ }).click();
    await page.locator('[data-testid="alert-row"][data-state="active"]').first().waitFor();
    await page.screenshot({ path: imagePath('alerts.png'), fullPage: true });

    await page
      .locator('[data-testid="alert-row"][data-state="cleared"]')
      .first()
      .getByRole('button', { name: 'recording' })
      .click();
    await page.getByTestId('session-viewer').waitFor();
    await page.locator('.chart-row').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: imagePath('recordings.png'), fullPage: true });

    await page.getByRole('button', { name: /^Cameras/ }).click();
    await page.getByTestId('alert-badge').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: imagePath('alert-card.png') });
  } finally {
    stopScope();
    await others.stop();
    await station.stop();
  }
});
