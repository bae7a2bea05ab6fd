import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

// `npm run screenshots`: the pictures in docs/, taken from a real station. Not part
// of `npm test` (tests never write tracked files); run it after a UI change.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '**/*.shots.ts',
  reporter: [['list']],
  use: { ...base.use, colorScheme: 'dark' },
});
