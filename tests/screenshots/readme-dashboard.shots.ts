/** The README's picture of the dashboard (docs/img/dashboard.png), taken from a real station. */
import { test } from '@playwright/test';
import { openFleetScene } from '../e2e/helpers/fleet-scene';
import { imagePath } from './image-dir';

test('README picture: several cameras streaming', async ({ page }) => {
  const scene = await openFleetScene(page);
  try {
    // A few seconds of history in the sparklines.
    await page.waitForTimeout(8000);
    await page.getByTestId('sort-select').selectOption('state');
    await page.waitForTimeout(500);
    await page.screenshot({ path: imagePath('dashboard.png'), fullPage: true });
  } finally {
    await scene.stop();
  }
});
