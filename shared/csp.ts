// The dashboard's Content-Security-Policy, sent as a response header by the core's server and
// enforced again by the desktop window (a <meta> CSP cannot carry `frame-ancestors`).
// Svelte's compiled output needs no `unsafe-eval`; components use inline styles.
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
