import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { pokeThreadPool } from './vitest.setup.js';

// vitest's own process reads and transforms every test file through the thread pool too.
pokeThreadPool();

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources of the other packages, not their dist.
    alias: [
      { find: /^@gob\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@gob\/ui$/, replacement: src('./packages/ui/src/index.ts') },
      { find: /^@gob\/ui\/tui$/, replacement: src('./packages/ui/src/tui/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // End-to-end tests spawn go; two cores are all we have.
    maxWorkers: 2,
    setupFiles: ['./vitest.setup.ts'],
  },
});
