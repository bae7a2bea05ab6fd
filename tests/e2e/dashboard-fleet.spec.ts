/**
 * The dashboard with several simulated cameras, one flooded, one gone: the
 * scene of the README's picture (`npm run screenshot` takes it, not this test).
 */
import { test } from '@playwright/test';
import { openFleetScene } from './helpers/fleet-scene';

test('several cameras streaming: every card, the offline camera, the flooded one, previews', async ({
  page,
}) => {
  const scene = await openFleetScene(page);
  await scene.stop();
});
