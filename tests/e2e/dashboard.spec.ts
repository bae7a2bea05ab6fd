/**
 * The dashboard in Chromium against a real headless station with simulated
 * cameras: what a technician sees and does.
 */
import { expect, test, type Page } from '@playwright/test';
import { startFleet, startRecordingCamera } from './helpers/cameras';
import { watchPage } from './helpers/page-watch';
import { previewPipeline, slowPipeline, startStation } from './helpers/station-process';

const card = (page: Page, cameraId: string) =>
  page.locator(`[data-testid="camera-card"][data-camera-id="${cameraId}"]`);

/** Kept as a file in the test's output folder and attached to the report. */
async function attachScreenshot(page: Page, name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

test('the empty state tells how to connect a camera, with the simulator command', async ({
  page,
}) => {
  const station = await startStation();
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    const empty = page.getByTestId('empty-state');
    await expect(empty).toBeVisible();
    await expect(empty).toContainText(station.cameraUrl);
    await expect(empty.getByRole('textbox', { name: 'simulator command' })).toHaveValue(
      `npm run simulate -- --url ${station.cameraUrl} --cameras 4 --fps 15`,
    );
    await expect(page.getByTestId('token-state')).toHaveText('off');
    await expect(page.getByTestId('connection')).toHaveText('live');
    await attachScreenshot(page, 'empty-state');
    expect(problems.errors).toEqual([]);
  } finally {
    await station.stop();
  }
});

test('cameras appear, leave with their reason, and are dismissed', async ({ page }) => {
  const station = await startStation();
  const fleet = await startFleet({ url: station.cameraUrl, count: 3, fps: 5, prefix: 'bench' });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    await expect(page.getByTestId('camera-card')).toHaveCount(3);
    for (const id of ['bench-01', 'bench-02', 'bench-03']) {
      await expect(card(page, id)).toBeVisible();
      await expect(card(page, id).getByTestId('fps-in')).not.toHaveText('0.0');
    }
    await expect(page.getByTestId('total-cameras')).toContainText('3');

    // A camera that joins later shows up without a reload.
    const late = await startFleet({ url: station.cameraUrl, count: 1, fps: 5, prefix: 'late' });
    await expect(card(page, 'late-01')).toBeVisible();
    await expect(page.getByTestId('camera-card')).toHaveCount(4);

    await fleet.clients[1]!.stop(500);
    await expect(card(page, 'bench-02')).toHaveCount(0);
    const offline = page.locator('[data-testid="offline-camera"][data-camera-id="bench-02"]');
    await expect(offline).toBeVisible();
    await expect(offline.getByTestId('offline-reason')).toContainText('(1000)');
    await attachScreenshot(page, 'camera-left');

    await offline.getByRole('button', { name: 'Dismiss' }).click();
    await expect(offline).toHaveCount(0);
    await expect(page.getByTestId('camera-card')).toHaveCount(3);
    await late.stop();
    expect(problems.errors).toEqual([]);
  } finally {
    await fleet.stop();
    await station.stop();
  }
});

test('disconnecting a camera from its card asks first; Keep leaves it streaming', async ({
  page,
}) => {
  const station = await startStation();
  const fleet = await startFleet({ url: station.cameraUrl, count: 1, fps: 5, prefix: 'door' });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    const door = card(page, 'door-01');
    await door.getByRole('button', { name: 'disconnect…' }).click();
    await door.getByRole('button', { name: 'Keep' }).click();
    await expect(door.getByRole('button', { name: 'Disconnect', exact: true })).toHaveCount(0);
    await expect(door).toBeVisible();

    await door.getByRole('button', { name: 'disconnect…' }).click();
    await door.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(door).toHaveCount(0);
    const offline = page.locator('[data-testid="offline-camera"][data-camera-id="door-01"]');
    await expect(offline.getByTestId('offline-reason')).toContainText('4001');
    expect(problems.errors).toEqual([]);
  } finally {
    await fleet.stop();
    await station.stop();
  }
});

test('a camera that stops sending shows as stale', async ({ page }) => {
  const station = await startStation();
  const camera = await startRecordingCamera({ url: station.cameraUrl, cameraId: 'hung', fps: 5 });
  try {
    await page.goto(station.baseUrl);
    const hung = card(page, 'hung');
    await expect(hung).toHaveAttribute('data-health', 'normal');
    camera.pause();
    // Still connected (the socket answers pings), but no frame for a few seconds.
    await expect(hung).toHaveAttribute('data-health', 'stale', { timeout: 20_000 });
    await expect(hung.getByTestId('state-badge')).toHaveText('stale');
    await expect(hung.getByTestId('last-frame')).toHaveClass(/stale-text/);
  } finally {
    await camera.stop();
    await station.stop();
  }
});

test('a flooded camera shows its drop rate and state rising', async ({ page }) => {
  const station = await startStation({ pipelines: { 'slow.json': slowPipeline('slow', 250) } });
  // 20 frames a second into a pipeline that manages 4: most frames must be dropped.
  const flooded = await startFleet({
    url: station.cameraUrl,
    count: 1,
    fps: 20,
    prefix: 'flooded',
    pipelineId: 'slow',
  });
  const calm = await startFleet({ url: station.cameraUrl, count: 1, fps: 4, prefix: 'calm' });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    const floodedCard = card(page, 'flooded-01');
    await expect(floodedCard).toHaveAttribute('data-state', 'slow_down');
    const rate = Number.parseFloat(
      (await floodedCard.getByTestId('drop-rate').textContent()) ?? '',
    );
    expect(rate).toBeGreaterThan(30);
    await expect(floodedCard.getByTestId('state-badge')).toHaveText('slow down');
    await expect(card(page, 'calm-01')).toHaveAttribute('data-state', 'normal');
    await expect(card(page, 'calm-01').getByTestId('drop-rate')).toHaveText('0 %');

    // Worst first puts the flooded camera at the top.
    await page.getByTestId('sort-select').selectOption('state');
    await expect(page.getByTestId('camera-card').first()).toHaveAttribute(
      'data-camera-id',
      'flooded-01',
    );
    await expect(page.getByTestId('total-dropped')).not.toHaveText('0');
    await attachScreenshot(page, 'flooded-camera');
    expect(problems.errors).toEqual([]);
  } finally {
    await flooded.stop();
    await calm.stop();
    await station.stop();
  }
});

test('switching a pipeline in the window changes the results the camera receives', async ({
  page,
}) => {
  const station = await startStation({ pipelines: { 'preview.json': previewPipeline('preview') } });
  const camera = await startRecordingCamera({
    url: station.cameraUrl,
    cameraId: 'switcher',
    pipelineId: 'metadata',
    fps: 5,
  });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    const switcher = card(page, 'switcher');
    const select = switcher.getByTestId('pipeline-select');
    await expect(select).toHaveValue('metadata');
    await expect(switcher.locator('.thumb-empty')).toHaveText('no preview in this pipeline');
    const before = camera.replies.filter((r) => r.pipeline).length;
    expect(
      camera.replies.filter((r) => r.pipeline).every((r) => r.pipeline?.id === 'metadata'),
    ).toBe(true);

    await select.selectOption('preview');
    await expect(select).toHaveValue('preview');
    await expect(switcher).toContainText('pinned');
    // The preview pipeline makes thumbnails: the card shows the live image.
    await expect(switcher.locator('.thumb img')).toBeVisible();

    await expect
      .poll(() => camera.replies.slice(before).filter((r) => r.pipeline?.id === 'preview').length)
      .toBeGreaterThan(2);
    const switched = camera.replies.filter((r) => r.pipeline?.id === 'preview');
    expect(Object.keys(switched.at(-1)?.result ?? {}).sort()).toEqual(['metadata', 'preview']);
    const firstPreview = camera.replies.findIndex((r) => r.pipeline?.id === 'preview');
    // Once switched, it stays switched: no metadata result after the first preview result.
    expect(camera.replies.slice(firstPreview).some((r) => r.pipeline?.id === 'metadata')).toBe(
      false,
    );
    await attachScreenshot(page, 'switched-pipeline');
    expect(problems.errors).toEqual([]);
  } finally {
    await camera.stop();
    await station.stop();
  }
});

test('pipelines: the graph, the default selector and the errors of invalid files', async ({
  page,
}) => {
  const station = await startStation({
    pipelines: {
      'preview.json': previewPipeline('preview'),
      'chain.json': {
        id: 'chain',
        name: 'Chain',
        description: 'Grey, then statistics of the grey image.',
        nodes: [
          { id: 'grey', op: 'grayscale' },
          { id: 'stats', op: 'stats', needs: ['grey'] },
        ],
        outputs: ['stats'],
      },
      'broken.json': {
        id: 'broken',
        name: 'Broken',
        description: 'uses an op that does not exist',
        nodes: [{ id: 'x', op: 'teleport' }],
        outputs: ['x'],
      },
    },
  });
  const camera = await startFleet({
    url: station.cameraUrl,
    count: 1,
    fps: 4,
    prefix: 'timed',
    pipelineId: 'chain',
  });
  try {
    const problems = watchPage(page);
    await page.goto(station.baseUrl);
    await page.getByRole('button', { name: /Pipelines/ }).click();
    const errors = page.getByTestId('pipeline-error');
    await expect(errors).toHaveCount(1);
    await expect(errors.first()).toContainText('broken.json');
    await expect(errors.first()).toContainText('teleport');

    await page.locator('[data-testid="pipeline-item"][data-pipeline-id="preview"]').click();
    const detail = page.getByTestId('pipeline-detail');
    await expect(detail).toContainText('keeps a 160-pixel preview');
    await expect(detail.locator('.react-flow__node')).toHaveCount(2);
    await expect(detail.getByTestId('node-timing').first()).toHaveText('—');

    // A pipeline a camera runs: its edges, and each node's time on the last frame.
    await page.locator('[data-testid="pipeline-item"][data-pipeline-id="chain"]').click();
    await expect(detail.locator('.react-flow__edge')).toHaveCount(1);
    await expect(detail.getByTestId('node-timing')).toHaveCount(2);
    for (const timing of await detail.getByTestId('node-timing').all()) {
      await expect(timing).toHaveText(/^\d+\.\d ms$/);
    }
    await expect(page.locator('[data-pipeline-id="chain"]')).toContainText('1 camera');

    // A file that breaks while the station runs is listed without a reload.
    station.writePipelineFile('typo.json', '{ "id": "typo", ');
    await expect(errors).toHaveCount(2);
    await expect(page.getByText('typo.json', { exact: true })).toBeVisible();

    await page.getByTestId('default-pipeline-select').selectOption('preview');
    await expect(page.locator('[data-pipeline-id="preview"] .pill')).toHaveText('default');
    const snapshot = (await (await fetch(`${station.baseUrl}/api/snapshot`)).json()) as {
      station: { default_pipeline: string };
    };
    expect(snapshot.station.default_pipeline).toBe('preview');
    await attachScreenshot(page, 'pipelines');
    expect(problems.errors).toEqual([]);
  } finally {
    await camera.stop();
    await station.stop();
  }
});

test('a browser dashboard rides out a station restart', async ({ page }) => {
  const first = await startStation();
  const port = first.port;
  let second: Awaited<ReturnType<typeof startStation>> | null = null;
  try {
    await page.goto(first.baseUrl);
    await expect(page.getByTestId('connection')).toHaveText('live');
    await first.stop();
    await expect(page.getByTestId('connection')).toHaveText('reconnecting…');

    // The same port again, now with a camera: the page reloads the snapshot by itself.
    second = await startStation({ port });
    const fleet = await startFleet({ url: second.cameraUrl, count: 1, fps: 4, prefix: 'back' });
    try {
      await expect(page.getByTestId('connection')).toHaveText('live', { timeout: 30_000 });
      await expect(card(page, 'back-01')).toBeVisible();
    } finally {
      await fleet.stop();
    }
  } finally {
    await first.stop();
    await second?.stop();
  }
});
