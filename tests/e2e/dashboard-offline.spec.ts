/**
 * A long offline list stays small and readable: normal closes in a neutral
 * colour, lost cameras in amber, the older ones folded, dismiss-all and
 * dismiss-normal; the Sources panel stays on screen above it, and a failing
 * source says why beside its state, with its next retry.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { offlineScenario } from './helpers/offline-scenario';
import { watchPage } from './helpers/page-watch';
import { startStation } from './helpers/station-process';

const THEME = readFileSync(resolve(__dirname, '..', '..', 'src', 'renderer', 'theme.css'), 'utf8');

/** A colour of the dark theme, as `#rrggbb`. */
function themeColour(name: string): string {
  const match = new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(THEME);
  if (!match?.[1]) throw new Error(`no --${name} in theme.css`);
  return match[1];
}

function rgbOf(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

test('30 offline cameras and a failing source', async ({ page }) => {
  // The failing source's address is on loopback, where sources are refused unless allowed.
  const station = await startStation({ args: ['--sources-allow-local', 'true'] });
  try {
    const problems = watchPage(page);
    const scenario = await offlineScenario(station);
    await page.goto(station.baseUrl);

    // The source says why it is not streaming, beside its state.
    const source = page.getByTestId('source');
    await expect(source.getByTestId('source-state')).toHaveText('reconnecting');
    const why = source.getByTestId('source-error');
    await expect(why).toContainText('camera: The camera source could not be reached');
    await expect(why).toContainText('ECONNREFUSED');
    await expect(source.getByTestId('source-retry')).toContainText(/retry \d+ at/);

    // Newest first, 8 shown, the other 23 folded into one line. The newest is the
    // source's own camera: its bridge closes the station session (1000) while the
    // camera cannot be reached.
    const rows = page.getByTestId('offline-camera');
    await expect(rows).toHaveCount(8);
    await expect(page.getByTestId('offline-more')).toHaveText('23 older offline cameras: show');
    await expect(rows.first()).toHaveAttribute('data-camera-id', scenario.sourceCamera);
    await expect(rows.nth(1)).toHaveAttribute('data-camera-id', scenario.vanished.at(-1)!);

    // Amber for a lost camera, the muted text colour for a normal close (theme.css, dark).
    await page.getByTestId('offline-more').click();
    await expect(rows).toHaveCount(31);
    const reason = (close: string) =>
      page.locator(`[data-close="${close}"] [data-testid="offline-reason"]`).first();
    await expect(reason('abnormal')).toHaveCSS('color', rgbOf(themeColour('warn')));
    await expect(reason('normal')).toHaveCSS('color', rgbOf(themeColour('muted')));
    await expect(page.locator('[data-close="abnormal"]')).toHaveCount(8);

    // However long the list, Sources stay on the first screen.
    const box = await page.getByRole('region', { name: 'Sources' }).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThan(page.viewportSize()!.height);

    const shot = test.info().outputPath('offline-30.png');
    await page.screenshot({ path: shot, fullPage: true });
    await test.info().attach('offline-30', { path: shot, contentType: 'image/png' });

    await page.getByTestId('dismiss-normal').click();
    await expect(rows).toHaveCount(8);
    await expect(page.locator('[data-close="normal"]')).toHaveCount(0);
    await page.getByTestId('dismiss-all').click();
    await expect(rows).toHaveCount(0);
    // The station forgot them: a reload shows none.
    await page.reload();
    await expect(page.getByTestId('source')).toBeVisible();
    await expect(rows).toHaveCount(0);
    expect(problems.errors).toEqual([]);
  } finally {
    await station.stop();
  }
});
