// Component and unit tests for the dashboard (jsdom + Svelte's browser build).
// Run: npx vitest run --config renderer/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [svelte(), svelteTesting()],
  test: {
    name: 'renderer',
    include: ['test/renderer/**/*.test.ts'],
    environment: 'jsdom',
    testTimeout: 30_000,
  },
});
