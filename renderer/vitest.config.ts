// Component and unit tests for the dashboard (jsdom + Svelte's browser build).
// Run: npx vitest run --config renderer/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: repoRoot,
  plugins: [svelte(), svelteTesting()],
  test: {
    name: 'renderer',
    // also as a project of the root config, where the project root would default to renderer/
    root: repoRoot,
    include: ['test/renderer/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['test/renderer/support/browser-apis.ts'],
    testTimeout: 30_000,
  },
});
