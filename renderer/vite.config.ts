// Builds the dashboard. Invoked from the repository root (`vite build --config renderer/vite.config.ts`),
// so every path is anchored to this file rather than to the working directory.
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = fileURLToPath(new URL('.', import.meta.url));
const proxyTarget = process.env.DASHBOARD_PROXY_TARGET ?? 'http://127.0.0.1:8081';

// In `vite dev` the page lives on Vite's origin; the proxy refuses foreign Origins, so the dev
// server forwards API calls without one (same as the built app served by the proxy itself).
const apiProxy: ProxyOptions = {
  target: proxyTarget,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('origin'));
  },
};

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: Object.fromEntries(['/health', '/api', '/accounts', '/claude', '/v1'].map((path) => [path, apiProxy])),
  },
});
