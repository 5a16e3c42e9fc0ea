import { defineConfig } from 'vitest/config';

// Two projects: everything that runs in Node, and the dashboard's component tests in jsdom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      'renderer/vitest.config.ts',
    ],
  },
});
