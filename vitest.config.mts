import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real sockets and real sharp work: keep files in separate forks, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
