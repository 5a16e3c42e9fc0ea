// Claude Code's status line through the proxy: the command (run.ts), the numbers it asks the
// proxy for (info.ts, served at GET /claude/statusline) and the command configure installs.
export { cliStatusLineCommand } from './command.js';
export { runStatusLine, type StatusLineRunOptions } from './run.js';
export { statusLineInfo, type StatusLineSources } from './info.js';
export { statusLineOffer, type StatusLineOffer } from './offer.js';
