import { defineConfig } from 'vitest/config';

// Four projects: unit tests need nothing but Node (npm run test:unit runs in seconds); integration
// tests talk to the real Postgres and Redis; end-to-end tests run the built api and worker as
// processes; browser tests drive Chromium against them. Integration files each get their own database
// and queue prefix, so files may run in parallel; two at a time keeps the 2-core CI machine responsive
// for the processes they spawn. No test waits on CPU speed: every wait is for an event, with a limit
// that only catches hangs.
const patience = { testTimeout: 180_000, hookTimeout: 180_000 };
const services = { globalSetup: ['tests/support/global-setup.ts'], ...patience };

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'tests/deploy/**/*.test.ts'],
          ...patience,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/api/**/*.test.ts', 'tests/db/**/*.test.ts', 'tests/cli/**/*.test.ts'],
          ...services,
        },
      },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], ...services } },
      { test: { name: 'web', include: ['tests/web/**/*.test.ts'], ...services } },
    ],
  },
});
