/**
 * The README's scene: several simulated cameras on real pipelines, one flooded
 * (a slow pipeline at 12 fps), one gone; the dashboard open on it, every card,
 * the offline camera and the previews in place.
 */
import { expect, type Page } from '@playwright/test';
import { startFleet } from './cameras';
import { slowPipeline, startStation } from './station-process';

export async function openFleetScene(page: Page): Promise<{ stop(): Promise<void> }> {
  const station = await startStation({ pipelines: { 'slow.json': slowPipeline('slow', 300) } });
  const common = { url: station.cameraUrl, width: 640, height: 360 };
  const fleets = [
    await startFleet({ ...common, count: 3, fps: 5, prefix: 'bench', pipelineId: 'inspect' }),
    await startFleet({ ...common, count: 1, fps: 5, prefix: 'door', pipelineId: 'motion' }),
    await startFleet({ ...common, count: 1, fps: 12, prefix: 'conveyor', pipelineId: 'slow' }),
  ];
  const leaving = await startFleet({ ...common, count: 1, fps: 5, prefix: 'microscope' });
  // Stopping a fleet twice is harmless: `leaving` stops early in the scene.
  const stop = async () => {
    for (const fleet of [...fleets, leaving]) await fleet.stop();
    await station.stop();
  };
  try {
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('camera-card')).toHaveCount(6);
    await leaving.stop();
    await expect(page.getByTestId('offline-camera')).toHaveCount(1);
    await expect(
      page.locator('[data-testid="camera-card"][data-camera-id="conveyor-01"]'),
    ).toHaveAttribute('data-state', 'slow_down');
    await expect(page.locator('.thumb img')).toHaveCount(4);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
