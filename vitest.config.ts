import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@gob/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@gob/ui': fileURLToPath(new URL('./packages/ui/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // End-to-end tests spawn go; two cores are all we have.
    maxWorkers: 2,
  },
});
