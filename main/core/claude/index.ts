// Claude Code's settings, as the CLI (`claude configure | restore | status`) and the routes use them.
export {
  claudeConfigState,
  configureClaudeCode,
  restoreClaudeCode,
  type ClaudeEnvOptions,
  type ClaudeStateOptions,
  type ConfigureOptions,
} from './configure.js';
export { compactionWindow, FALLBACK_CONTEXT_WINDOW } from './context-window.js';
export { ClaudeConfigError, type ClaudeConfigErrorCode } from './errors.js';
export { claudePaths, type ClaudePaths } from './paths.js';
export { DEFAULT_MODE_REASON, PROXY_ENV_KEYS, type ProxyTarget } from './settings-merge.js';
export {
  STATUS_LINE_CHOICES,
  isProxyStatusLine,
  type StatusLineChoice,
  type StatusLineRequest,
} from './status-line-setting.js';
