import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own database and queue prefix, so files may run in parallel;
    // two at a time keeps the 2-core CI machine responsive for the api/worker processes they spawn.
    maxWorkers: 2,
  },
});
