// The dashboard window is a web page with a bridge into the main process, so it gets the strictest
// Electron settings: sandboxed, isolated, no Node, and no way to leave our own origin. Everything
// here is applied before any page loads.
import { DASHBOARD_CSP } from '../../shared/csp.js';
import type { Session, WebContents, WebPreferences } from 'electron';
import { MAX_EXTERNAL_URL_LENGTH } from '../../shared/ipc.js';

/** Our origin right now (`http://127.0.0.1:<port>`), or null while the proxy is not serving. */
export type OriginSource = () => string | null;

export function dashboardWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function isOwnOrigin(url: string, origin: OriginSource): boolean {
  const own = origin();
  return own !== null && originOf(url) === own;
}

/**
 * The only URLs we hand to the system browser: plain http(s), no embedded credentials, bounded
 * length. Everything else (file:, javascript:, custom schemes that launch other programs) is refused.
 */
export function checkExternalUrl(url: unknown): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) {
    throw new TypeError('openExternal expects an http(s) URL string.');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('openExternal expects an http(s) URL string.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`openExternal refuses ${parsed.protocol} URLs: only http and https open in the browser.`);
  }
  if (parsed.username || parsed.password) throw new TypeError('openExternal refuses URLs with embedded credentials.');
  return parsed.href;
}

function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const next: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') next[name] = value;
  }
  next['Content-Security-Policy'] = [DASHBOARD_CSP];
  return next;
}

/** CSP on our pages, and no permission (camera, notifications, clipboard read, …) for any page. */
export function hardenSession(session: Session, origin: OriginSource): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isOwnOrigin(details.url, origin)) return callback({});
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Applied to every WebContents the app creates: no new windows (http(s) links go to the system
 * browser), no navigation or redirect away from our origin, no <webview>.
 */
export function hardenWebContents(
  contents: WebContents,
  origin: OriginSource,
  openExternal: (url: string) => void,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    try {
      openExternal(checkExternalUrl(url));
    } catch {
      // not an http(s) link: nothing to open
    }
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string): void => {
    if (!isOwnOrigin(url, origin)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayHome(event, event.url));
  contents.on('will-redirect', (event) => stayHome(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
