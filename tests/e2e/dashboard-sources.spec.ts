/**
 * Sources from the window: the technician adds an MJPEG camera URL, the station
 * pulls it in and it shows like any camera; pausing and removing it work; a URL
 * that is not a camera is refused with the reason.
 */
import { expect, test } from '@playwright/test';
import { createFrameSource } from '../../src/main/sim';
import { startMjpegCamera } from '../helpers/mjpeg-camera';
import { watchPage } from './helpers/page-watch';
import { startStation } from './helpers/station-process';

test('an MJPEG camera added in the window streams like any camera', async ({ page }) => {
  // The test camera lives on loopback, where sources are refused unless allowed.
  const station = await startStation({ args: ['--sources-allow-local', 'true'] });
  const frames = await createFrameSource({
    width: 320,
    height: 180,
    cameraId: 'mjpeg',
    ringSize: 8,
  });
  const camera = await startMjpegCamera({ frames: [...frames.frames], fps: 5, loop: true });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('empty-state')).toBeVisible();

    await page.getByTestId('add-source').click();
    const form = page.getByTestId('add-source-form');
    await form.getByLabel('URL or device').fill('file:///etc/passwd');
    await form.getByLabel('Camera id').fill('lab-mjpeg');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect(form.getByRole('alert')).toBeVisible();
    await expect(page.getByTestId('source')).toHaveCount(0);

    await form.getByLabel('URL or device').fill(camera.url);
    await form.getByLabel('Pipeline').selectOption('inspect');
    await form.getByRole('button', { name: 'Add' }).click();
    const source = page.getByTestId('source');
    await expect(source).toHaveCount(1);
    await expect(source.getByTestId('source-state')).toHaveText('streaming');
    const card = page.locator('[data-testid="camera-card"][data-camera-id="lab-mjpeg"]');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('pipeline-select')).toHaveValue('inspect');
    await expect(card.locator('.thumb img')).toBeVisible();
    const shot = test.info().outputPath('mjpeg-source.png');
    await page.screenshot({ path: shot, fullPage: true });
    await test.info().attach('mjpeg-source', { path: shot, contentType: 'image/png' });

    await source.getByRole('button', { name: 'Pause' }).click();
    await expect(source.getByTestId('source-state')).toHaveText('disabled');
    await expect(card).toHaveCount(0);

    await source.getByRole('button', { name: 'Remove…' }).click();
    await source.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(page.getByTestId('source')).toHaveCount(0);
    expect(problems.errors).toEqual([]);
  } finally {
    await camera.kill();
    await station.stop();
  }
});
