/** docs/dashboard.md's pictures of the offline list and of a failing source. */
import { expect, test } from '@playwright/test';
import { offlineScenario } from '../e2e/helpers/offline-scenario';
import { startStation } from '../e2e/helpers/station-process';
import { imagePath } from './image-dir';

test('cameras view with 30 offline cameras and a failing source', async ({ page }) => {
  // The failing source's address is on loopback, where sources are refused unless allowed.
  const station = await startStation({ args: ['--sources-allow-local', 'true'] });
  try {
    await offlineScenario(station);
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('offline-camera')).toHaveCount(8);
    await expect(page.getByTestId('source-retry')).toBeVisible();
    await page.screenshot({ path: imagePath('offline-cameras.png'), fullPage: true });
    await page
      .getByRole('region', { name: 'Sources' })
      .screenshot({ path: imagePath('failing-source.png') });
  } finally {
    await station.stop();
  }
});
