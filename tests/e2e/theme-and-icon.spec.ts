/** The camera page wears the dashboard's colours, both follow the system's light/dark choice, and every page has an icon. */
import { expect, test, type Page } from '@playwright/test';
import { startStation } from './helpers/station-process';

async function colours(page: Page, url: string) {
  await page.goto(url);
  // A string, evaluated in the page: the tests' TypeScript has no DOM types.
  return page.evaluate<{ background: string; text: string }>(
    '(({ backgroundColor, color }) => ({ background: backgroundColor, text: color }))(getComputedStyle(document.documentElement))',
  );
}

test('the camera page follows the dashboard theme, light and dark', async ({ page }) => {
  const station = await startStation();
  try {
    const seen: Record<string, { background: string; text: string }> = {};
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const dashboard = await colours(page, station.baseUrl);
      const camera = await colours(page, `${station.baseUrl}/camera`);
      expect(camera).toEqual(dashboard);
      seen[scheme] = dashboard;
    }
    expect(seen.dark!.background).toBe('rgb(13, 17, 23)');
    expect(seen.light!.background).not.toBe(seen.dark!.background);
    expect(seen.light!.text).not.toBe(seen.dark!.text);
  } finally {
    await station.stop();
  }
});

test('/favicon.ico and the pages’ icon are served', async ({ page, request }) => {
  const station = await startStation();
  try {
    const ico = await request.get(`${station.baseUrl}/favicon.ico`);
    expect(ico.status()).toBe(200);
    expect(ico.headers()['content-type']).toBe('image/x-icon');
    expect((await ico.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    for (const path of ['/', '/camera']) {
      await page.goto(`${station.baseUrl}${path}`);
      const href = await page.locator('link[rel="icon"]').getAttribute('href');
      const icon = await request.get(new URL(href!, page.url()).toString());
      expect(icon.status()).toBe(200);
      expect(icon.headers()['content-type']).toBe('image/svg+xml');
    }
  } finally {
    await station.stop();
  }
});
