/**
 * The Stations view: three headless stations on one Mosquitto; the window of
 * one lists all three with their load and a link to each dashboard, and shows
 * a station offline once it has stopped.
 */
import { expect, test } from '@playwright/test';
import { startBroker } from '../helpers/mosquitto';
import { watchPage } from './helpers/page-watch';
import { startStation } from './helpers/station-process';

test('the Stations view lists the lab, with links, and one offline after it stops', async ({
  page,
}) => {
  const broker = await startBroker();
  const prefix = `ui-${Date.now()}`;
  const args = (id: string) => [
    '--mqtt-url',
    broker.url,
    '--station-id',
    id,
    '--mqtt-prefix',
    prefix,
  ];
  const [a, b, c] = await Promise.all([
    startStation({ args: args('bench-a') }),
    startStation({ args: args('bench-b') }),
    startStation({ args: args('bench-c') }),
  ]);
  try {
    const problems = watchPage(page);
    await page.goto(a.baseUrl);
    await expect(page.getByTestId('stations-online')).toHaveText('3 stations online');
    await page.getByRole('button', { name: /^Stations/ }).click();
    const rows = page.getByTestId('fleet-station');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('bench-a');
    await expect(rows.first()).toContainText('this station');
    for (const [id, station] of [
      ['bench-b', b],
      ['bench-c', c],
    ] as const) {
      const row = page.locator(`[data-testid="fleet-station"][data-station="${id}"]`);
      await expect(row.getByTestId('fleet-state')).toHaveText('online');
      await expect(row.getByTestId('fleet-cameras')).toHaveText('0 / 64');
      await expect(row.getByTestId('fleet-link')).toHaveAttribute('href', `${station.baseUrl}/`);
    }

    await c.stop();
    const stopped = page.locator('[data-testid="fleet-station"][data-station="bench-c"]');
    await expect(stopped).toHaveAttribute('data-state', 'offline');
    await expect(stopped.getByTestId('fleet-state')).toContainText('offline since');
    await expect(page.getByTestId('stations-online')).toHaveText('2 stations online');
    await page.screenshot({ path: test.info().outputPath('stations.png'), fullPage: true });
    expect(problems.errors).toEqual([]);
  } finally {
    await Promise.all([a.stop(), b.stop(), c.stop()]);
    await broker.close();
  }
});
