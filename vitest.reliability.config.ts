import { defineConfig } from 'vitest/config';

/** `npm run test:reliability`: authorization matrix, hostile input, concurrency, crash, backup round trip. */
export default defineConfig({
  test: {
    include: ['apps/server/src/**/*.reliability.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
