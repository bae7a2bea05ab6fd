/** The drop-rate sparkline is big enough to read and says its value and time on hover. */
import { expect, test } from '@playwright/test';
import { startFleet } from './helpers/cameras';
import { watchPage } from './helpers/page-watch';
import { slowPipeline, startStation } from './helpers/station-process';

test('the sparkline shows gridline labels and a tooltip with value and time', async ({ page }) => {
  const station = await startStation({ pipelines: { 'slow.json': slowPipeline('slow', 200) } });
  const fleet = await startFleet({
    url: station.cameraUrl,
    count: 1,
    fps: 15,
    prefix: 'flood',
    pipelineId: 'slow',
  });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    const spark = page.getByTestId('sparkline').first();
    await expect(spark).toBeVisible();
    // A few samples of history, at a drop rate well above zero.
    await page.waitForTimeout(4000);
    const box = (await spark.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
    const tip = page.getByTestId('sparkline-tip');
    await expect(tip).toHaveText(/^\d{1,3}\.\d % at \d{2}:\d{2}:\d{2}/);
    const percent = Number(/^([\d.]+)/.exec((await tip.textContent()) ?? '')?.[1]);
    expect(percent).toBeGreaterThan(0);
    await expect(spark.locator('canvas')).toHaveCount(1);
    await page.mouse.move(0, 0);
    await expect(tip).toHaveCount(0);
    expect(problems.errors).toEqual([]);
  } finally {
    await fleet.stop();
    await station.stop();
  }
});
