// Builds every runtime entry point: the CLI/server (ESM), and, when present, the Electron main
// process and preload (CommonJS, as a sandboxed preload requires) and the dashboard (Vite).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['main/cli.ts'],
  outfile: 'dist/cli.js',
  format: 'esm',
  // Bundling the dependencies halves start-up time (one file instead of hundreds of module
  // lookups). Kept external: the native keychain binding, and the tokenizer tables, which load
  // lazily on the first count_tokens call.
  external: ['@napi-rs/keyring', 'gpt-tokenizer'],
  // A third smaller, so ~6 % faster to start (docs/PERFORMANCE.md); identifiers stay readable in
  // CPU profiles and stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // Some dependencies are CommonJS and use require/__filename/__dirname; give the ESM bundle them.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __ccpCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ccpFileURLToPath } from 'node:url';",
      "import { dirname as __ccpDirname } from 'node:path';",
      'const require = __ccpCreateRequire(import.meta.url);',
      'const __filename = __ccpFileURLToPath(import.meta.url);',
      'const __dirname = __ccpDirname(__filename);',
    ].join('\n'),
  },
});

if (existsSync('main/desktop/index.ts')) {
  await build({
    ...common,
    entryPoints: ['main/desktop/index.ts'],
    outfile: 'dist/main/index.cjs',
    format: 'cjs',
    target: 'node22',
    external: ['electron', '@napi-rs/keyring'],
    // The core locates files relative to import.meta.url, which CommonJS lacks.
    define: { 'import.meta.url': '__ccpImportMetaUrl' },
    banner: { js: "const __ccpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // `npm run app` starts Electron on this folder. The package.json has no "main" because npm
  // always publishes the "main" file, and the npm package is the CLI only; packaged apps get their
  // "main" from electron-builder.yml (extraMetadata).
  const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
  mkdirSync('dist/dev-app', { recursive: true });
  writeFileSync(
    'dist/dev-app/package.json',
    `${JSON.stringify({ name, productName: 'Codex Claude Proxy', version, main: '../main/index.cjs' }, null, 2)}\n`,
  );
}
if (existsSync('preload/index.ts')) {
  await build({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
  });
}
if (existsSync('renderer/vite.config.ts') && process.env.SKIP_RENDERER !== '1') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
