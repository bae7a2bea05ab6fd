/** The README's picture of the dashboard (docs/img/dashboard.png), taken from a real station. */
import { resolve } from 'node:path';
import { test } from '@playwright/test';
import { openFleetScene } from '../e2e/helpers/fleet-scene';

const README_IMAGE = resolve(__dirname, '..', '..', 'docs', 'img', 'dashboard.png');

test('README picture: several cameras streaming', async ({ page }) => {
  const scene = await openFleetScene(page);
  try {
    // A few seconds of history in the sparklines.
    await page.waitForTimeout(8000);
    await page.getByTestId('sort-select').selectOption('state');
    await page.waitForTimeout(500);
    await page.screenshot({ path: README_IMAGE, fullPage: true });
  } finally {
    await scene.stop();
  }
});
