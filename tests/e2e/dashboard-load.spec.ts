/**
 * 32 simulated cameras streaming into a real station while the dashboard is
 * open: long tasks, renders per card and thumbnail fetches, counted.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startFleet } from './helpers/cameras';
import { mainThreadTasks } from './helpers/main-thread-trace';
import { watchPage } from './helpers/page-watch';
import { previewPipeline, startStation } from './helpers/station-process';

// Tracing snapshots the page and would be measured with it.
test.use({ trace: 'off' });

const CAMERAS = 32;
const MEASURE_MS = 10_000;

/** What tests/e2e/helpers/page-probe.js measured inside the page. */
interface ProbeReading {
  longTasks: number[];
  cardCommits: Record<string, number>;
  /** Camera ids of the cards on screen, and of those more than a screen below it. */
  onScreen: string[];
  farBelow: string[];
}

test(`${CAMERAS} streaming cameras: no long task over 50 ms, coalesced renders, bounded thumbnails`, async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const station = await startStation({ pipelines: { 'preview.json': previewPipeline('preview') } });
  const fleet = await startFleet({
    url: station.cameraUrl,
    count: CAMERAS,
    // The station sends the window at most 4 updates a second per session, so the
    // dashboard's work does not grow with the camera rate; 3 fps spares the CPU.
    fps: 3,
    prefix: 'load',
    pipelineId: 'preview',
  });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('camera-card')).toHaveCount(CAMERAS);
    // Let the first thumbnails and sparklines settle, then measure steady streaming.
    await page.waitForTimeout(3000);

    const thumbnailFetches = new Map<string, number>();
    // Fetches are counted from here until the trace has stopped, which on a loaded
    // machine takes seconds beyond MEASURE_MS: divide by the time really counted.
    const countingSince = Date.now();
    page.on('request', (request) => {
      const match = /\/api\/sessions\/([^/]+)\/thumbnail\.jpg$/.exec(
        new URL(request.url()).pathname,
      );
      if (match) thumbnailFetches.set(match[1]!, (thumbnailFetches.get(match[1]!) ?? 0) + 1);
    });
    // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses injected scripts.
    const busyBefore = loadavg()[0]! / cpus().length;
    // Tracing first: starting it costs the page a moment that is not the dashboard's.
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    await page.waitForTimeout(500);
    await page.evaluate(readFileSync(join(__dirname, 'helpers', 'page-probe.js'), 'utf8'));
    await page.waitForTimeout(MEASURE_MS);
    const tasks = mainThreadTasks(await browser.stopTracing());
    const busyAfter = loadavg()[0]! / cpus().length;
    const { longTasks, cardCommits, onScreen, farBelow } = await page.evaluate(() =>
      (
        globalThis as unknown as { __dashboardProbe: { read(): ProbeReading } }
      ).__dashboardProbe.read(),
    );
    const commits = onScreen.map((id) => cardCommits[id] ?? 0);
    const farCommits = farBelow.reduce((sum, id) => sum + (cardCommits[id] ?? 0), 0);
    const seconds = MEASURE_MS / 1000;
    const fetches = [...thumbnailFetches.values()];
    const countedSeconds = (Date.now() - countingSince) / 1000;
    const report = {
      cameras: CAMERAS,
      seconds,
      longTasksMs: longTasks.map((d) => Math.round(d)),
      tracedTasks: tasks.length,
      maxTaskCpuMs: Math.round(Math.max(0, ...tasks.map((t) => t.cpuMs)) * 10) / 10,
      maxTaskWallMs: Math.round(Math.max(0, ...tasks.map((t) => t.wallMs))),
      loadPerCore: [busyBefore, busyAfter].map((l) => Math.round(l * 100) / 100),
      maxCardRendersPerSecond: Math.max(...commits) / seconds,
      minCardRendersPerSecond: Math.min(...commits) / seconds,
      cardsOnScreen: onScreen.length,
      cardsFarBelow: farBelow.length,
      farBelowRendersPerCardPerSecond:
        Math.round((farCommits / Math.max(1, farBelow.length) / seconds) * 100) / 100,
      maxThumbnailFetchesPerSecond:
        Math.round((Math.max(0, ...fetches) / countedSeconds) * 100) / 100,
      thumbnailFetchesTotal: fetches.reduce((a, b) => a + b, 0),
    };
    console.log(`dashboard under load: ${JSON.stringify(report)}`);
    await test.info().attach('load-report', {
      body: JSON.stringify(report, null, 2),
      contentType: 'application/json',
    });
    const shot = test.info().outputPath('32-cameras.png');
    await page.screenshot({ path: shot, fullPage: true });
    await test.info().attach('32-cameras', { path: shot, contentType: 'image/png' });

    // Cards on screen are live but render only a few times a second (flushes are 4/s);
    // cards far off screen wait until they scroll in (or their state changes).
    expect(onScreen.length).toBeGreaterThan(0);
    expect(farBelow.length).toBeGreaterThan(0);
    expect(report.minCardRendersPerSecond).toBeGreaterThanOrEqual(1);
    // 4 flushes a second, plus the once-a-second preview and state changes landing apart.
    expect(report.maxCardRendersPerSecond).toBeLessThanOrEqual(8);
    // Off screen, only a change of state colour renders a card (a loaded machine
    // makes sessions flip between normal and degraded now and then): far less often.
    expect(report.farBelowRendersPerCardPerSecond).toBeLessThan(report.minCardRendersPerSecond / 2);
    // Thumbnails only as often as shown: about 1/s per card, and only for cards on screen.
    expect(report.maxThumbnailFetchesPerSecond).toBeLessThanOrEqual(1.5);
    expect(thumbnailFetches.size).toBeGreaterThan(0);
    expect(thumbnailFetches.size).toBeLessThan(CAMERAS);
    // The page's own work: no main-thread task used 50 ms of CPU.
    expect(tasks.length).toBeGreaterThan(100);
    expect(report.maxTaskCpuMs).toBeLessThanOrEqual(50);
    // On the wall clock, as the PerformanceObserver sees it: none over 50 ms while the
    // machine has a CPU for the page. With more runnable work than cores (other jobs
    // on a shared machine), the page waits for a CPU inside its tasks; the trace above
    // shows that time was not its own, and the report keeps the numbers.
    if (Math.max(busyBefore, busyAfter) < 1) {
      expect(longTasks.filter((d) => d > 50)).toEqual([]);
    } else if (longTasks.length > 0) {
      console.log(
        `long tasks on the wall clock with ${report.loadPerCore.join('/')} runnable per core: ${report.longTasksMs.join(', ')} ms; max CPU in a task ${report.maxTaskCpuMs} ms`,
      );
    }
    expect(problems.errors).toEqual([]);
  } finally {
    await fleet.stop();
    await station.stop();
  }
});
