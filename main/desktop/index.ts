// Electron main-process entry (bundled to dist/main/index.cjs): the desktop shell around the
// headless core, which runs in this same process.
import { openDesktopCore } from './core-adapter.js';
import { runDesktopApp } from './desktop-app.js';

void runDesktopApp({ openCore: openDesktopCore, argv: process.argv });
