// Electron main-process entry (bundled to dist/main/index.cjs): the desktop shell around the
// headless core, which runs in this same process; or, with --smoke-test, its self-check.
import { openDesktopCore } from './core-adapter.js';
import { runDesktopApp } from './desktop-app.js';
import { runSmokeTest, smokeTestRequested } from './smoke-test.js';

if (smokeTestRequested(process.argv, process.env)) void runSmokeTest(process.argv);
else void runDesktopApp({ openCore: openDesktopCore, argv: process.argv });
