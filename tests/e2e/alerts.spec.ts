/**
 * Alerts in the window: a camera whose image goes soft raises out_of_focus; the
 * card shows a badge with since when, the Alerts list has it, acknowledge marks
 * it, its link opens the recording at that frame, and clear ends it.
 */
import sharp from 'sharp';
import WebSocket from 'ws';
import { expect, test } from '@playwright/test';
import { createFrameSource } from '../../src/main/sim';
import { startStation, type StationProcess } from './helpers/station-process';

let station: StationProcess;
test.beforeAll(async () => (station = await startStation()));
test.afterAll(async () => station?.stop());

/** A camera sending a blurred frame ten times a second. */
async function blurredCamera(cameraId: string, pipelineId: string) {
  const source = await createFrameSource({ width: 640, height: 360, cameraId, ringSize: 1 });
  const blurred = await sharp(source.frames[0]).blur(4).jpeg().toBuffer();
  const url = new URL(station.cameraUrl);
  url.searchParams.set('camera_id', cameraId);
  url.searchParams.set('pipeline_id', pipelineId);
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const timer = setInterval(() => socket.send(blurred), 100);
  return {
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'test done');
      });
    },
  };
}

test('an out-of-focus camera: badge on its card, listed, acknowledged, linked, cleared', async ({
  page,
}) => {
  const camera = await blurredCamera('soft-scope', 'record');
  try {
    await page.goto(station.baseUrl);
    const card = page.locator('[data-testid="camera-card"][data-camera-id="soft-scope"]');
    const badge = card.getByTestId('alert-badge');
    await expect(badge).toHaveAttribute('data-alert', 'out_of_focus');
    await expect(badge).toContainText('out of focus · since');
    await expect(page.getByTestId('alerts-count')).toHaveText('1');

    await page.getByRole('button', { name: /^Alerts/ }).click();
    const row = page.locator('[data-testid="alert-row"][data-state="active"]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('sharpness.laplacian_variance < 40');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(row).toContainText('acknowledged');

    await row.getByRole('button', { name: 'recording' }).click();
    await expect(page.getByTestId('session-viewer')).toBeVisible();
    const info = page.getByTestId('frame-info');
    await expect(info).toBeVisible();
    const alerts = (await (await fetch(`${station.baseUrl}/api/alerts`)).json()) as {
      active: { frame_index: number }[];
    };
    await expect(info).toContainText(`frame ${alerts.active[0]!.frame_index} ·`);

    await page.getByRole('button', { name: /^Alerts/ }).click();
    await page
      .locator('[data-testid="alert-row"][data-state="active"]')
      .getByRole('button', { name: 'Clear' })
      .click();
    await expect(page.locator('[data-testid="alert-row"][data-state="cleared"]')).toContainText(
      'cleared by operator',
    );
    await expect(page.getByTestId('alerts-count')).toHaveText('0');
    // Still blurred, but cleared by the operator: it stays off until focus returns.
    await page.getByRole('button', { name: /^Cameras/ }).click();
    await expect(card).toBeVisible();
    await page.waitForTimeout(2500);
    await expect(badge).toHaveCount(0);
  } finally {
    await camera.stop();
  }
});
