import { DASHBOARD_CSP } from '../../shared/csp.js';
import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebContents, resetFakes, session } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

const { checkExternalUrl, dashboardWebPreferences, hardenSession, hardenWebContents, isOwnOrigin } =
  await import('../../main/desktop/security.js');

const ORIGIN = 'http://127.0.0.1:8081';
const origin = (): string => ORIGIN;

beforeEach(() => resetFakes());

describe('dashboardWebPreferences', () => {
  it('isolates and sandboxes the page, with no Node and no webview', () => {
    expect(dashboardWebPreferences('/app/dist/preload/index.cjs')).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('checkExternalUrl', () => {
  it('passes http and https through, normalised', () => {
    expect(checkExternalUrl('https://example.com')).toBe('https://example.com/');
    expect(checkExternalUrl('http://example.com/a b')).toBe('http://example.com/a%20b');
  });

  it('refuses other schemes, credentials and non-strings', () => {
    for (const bad of [
      'file:///x',
      'javascript:void(0)',
      'data:text/html,x',
      'ms-settings:',
      'https://a:b@example.com',
      7,
      undefined,
    ]) {
      expect(() => checkExternalUrl(bad)).toThrow(TypeError);
    }
  });
});

describe('isOwnOrigin', () => {
  it('compares whole origins, not prefixes', () => {
    expect(isOwnOrigin(`${ORIGIN}/#/logs`, origin)).toBe(true);
    expect(isOwnOrigin('http://127.0.0.1:80810/', origin)).toBe(false);
    expect(isOwnOrigin('http://127.0.0.1:808/', () => 'http://127.0.0.1:808')).toBe(true);
    expect(isOwnOrigin(`${ORIGIN}/`, () => null)).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function hardened() {
    const contents = new FakeWebContents();
    const opened = vi.fn();
    hardenWebContents(contents as unknown as WebContents, origin, opened);
    return { contents, opened };
  }

  it('denies every new window and sends http(s) links to the system browser', () => {
    const { contents, opened } = hardened();
    expect(contents.openHandler?.({ url: 'https://auth.openai.com/oauth' })).toEqual({ action: 'deny' });
    expect(opened).toHaveBeenCalledWith('https://auth.openai.com/oauth');
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation and redirects away from our origin', () => {
    const { contents } = hardened();
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'http://127.0.0.1:9999/')).toBe(true);
    expect(contents.navigate('will-navigate', `${ORIGIN}/#/accounts`)).toBe(false);
  });

  it('refuses to attach webviews', () => {
    expect(hardened().contents.navigate('will-attach-webview', `${ORIGIN}/`)).toBe(true);
  });
});

describe('hardenSession', () => {
  type HeadersCallback = (response: { responseHeaders?: Record<string, string[]> }) => void;

  function headersFor(url: string, responseHeaders: Record<string, string[]>): Record<string, string[]> | undefined {
    let result: { responseHeaders?: Record<string, string[]> } | undefined;
    const listener = session.defaultSession.headersListener as unknown as (
      details: object,
      cb: HeadersCallback,
    ) => void;
    listener({ url, responseHeaders }, (r) => (result = r));
    return result?.responseHeaders;
  }

  beforeEach(() => hardenSession(session.defaultSession as unknown as Session, origin));

  it('puts our CSP on our pages, replacing any other', () => {
    const headers = headersFor(`${ORIGIN}/`, {
      'content-type': ['text/html'],
      'content-security-policy': ['default-src *'],
    });
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [DASHBOARD_CSP] });
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe-eval');
  });

  it('leaves other origins alone', () => {
    expect(headersFor('https://example.com/', { a: ['b'] })).toBeUndefined();
  });

  it('denies every permission request and check', () => {
    const granted = vi.fn();
    (session.defaultSession.permissionRequest as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
      {},
      'media',
      granted,
    );
    expect(granted).toHaveBeenCalledWith(false);
    expect((session.defaultSession.permissionCheck as unknown as () => boolean)()).toBe(false);
  });
});
