import type { KeyboardEvent, MenuItem, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  accountStatusText,
  buildTrayMenu,
  localTime,
  pooledQuotaLine,
  trayTooltip,
  type TrayActions,
  type TrayState,
} from '../../main/desktop/tray-menu.js';
import { account, limited, pooled, trayState } from './fixtures.js';

const time = (s: number): string => `T${s}`;

function actions() {
  return {
    start: vi.fn<TrayActions['start']>(),
    stop: vi.fn<TrayActions['stop']>(),
    switchAccount: vi.fn<TrayActions['switchAccount']>(),
    signIn: vi.fn<TrayActions['signIn']>(),
    setStrategy: vi.fn<TrayActions['setStrategy']>(),
    setLaneModel: vi.fn<TrayActions['setLaneModel']>(),
    openDashboard: vi.fn<TrayActions['openDashboard']>(),
    runDiagnostics: vi.fn<TrayActions['runDiagnostics']>(),
    configureClaude: vi.fn<TrayActions['configureClaude']>(),
    restoreClaude: vi.fn<TrayActions['restoreClaude']>(),
    setLaunchAtLogin: vi.fn<TrayActions['setLaunchAtLogin']>(),
    quit: vi.fn<TrayActions['quit']>(),
  } satisfies TrayActions;
}

function all(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? all(item.submenu) : [])]);
}

function item(items: MenuItemConstructorOptions[], label: string | RegExp): MenuItemConstructorOptions {
  const found = all(items).find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
  if (!found)
    throw new Error(
      `no menu item ${String(label)} in ${all(items)
        .map((i) => i.label)
        .join(' | ')}`,
    );
  return found;
}

function click(target: MenuItemConstructorOptions, checked = false): void {
  target.click?.({ checked } as MenuItem, undefined, {} as KeyboardEvent);
}

function build(state: Partial<TrayState> = {}, acts = actions()) {
  return { menu: buildTrayMenu(trayState(state), acts, time), acts };
}

describe('buildTrayMenu: server', () => {
  it('shows the port and a Stop item while running', () => {
    const { menu, acts } = build();
    expect(item(menu, 'Proxy running on 127.0.0.1:8081').enabled).toBe(false);
    click(item(menu, 'Stop proxy'));
    expect(acts.stop).toHaveBeenCalledTimes(1);
    expect(all(menu).some((i) => i.label === 'Start proxy')).toBe(false);
  });

  it('shows Start and the reason of the last failure while stopped', () => {
    const { menu, acts } = build({ server: 'stopped', port: null, problem: 'listen EACCES 127.0.0.1:80' });
    expect(item(menu, 'listen EACCES 127.0.0.1:80').enabled).toBe(false);
    click(item(menu, 'Start proxy'));
    expect(acts.start).toHaveBeenCalledTimes(1);
    expect(item(menu, 'Open Dashboard').enabled).toBe(false);
    expect(item(menu, 'Configure Claude Code').enabled).toBe(false);
  });

  it('says when the configured port was busy', () => {
    const { menu } = build({ port: 53124, busyPort: 8081 });
    item(menu, 'Proxy running on 127.0.0.1:53124');
    item(menu, 'Port 8081 is in use by another program');
  });

  it('shows a starting line before the first start finished', () => {
    const { menu } = build({ server: 'starting', port: null });
    expect(item(menu, 'Proxy starting…').enabled).toBe(false);
  });
});

describe('buildTrayMenu: accounts', () => {
  it('lists one radio item per account, the preferred one checked, with status and 5-hour quota', () => {
    const { menu } = build({
      accounts: [
        account('a', { preferred: true }),
        limited('b', 1000),
        account('c', { quota: { ...account('c').quota, five_hour: null } }),
      ],
    });
    const radios = all(menu).filter((i) => i.type === 'radio' && /@example\.com/.test(i.label ?? ''));
    expect(radios.map((i) => [i.label, i.checked])).toEqual([
      ['a@example.com — 5h 20% used', true],
      ['b@example.com — limited until T1000', false],
      ['c@example.com — ready', false],
    ]);
  });

  it('switches account on click', () => {
    const { menu, acts } = build();
    click(item(menu, /^b@example\.com/));
    expect(acts.switchAccount).toHaveBeenCalledWith('b');
  });

  it('turns an account that needs a new sign-in into a sign-in item', () => {
    const { menu, acts } = build({ accounts: [account('a', { status: 'needs_relogin' })] });
    const row = item(menu, 'a@example.com — sign in again');
    expect(row.type).toBeUndefined();
    click(row);
    expect(acts.signIn).toHaveBeenCalledTimes(1);
    expect(acts.switchAccount).not.toHaveBeenCalled();
  });

  it('offers sign-in when there is no account yet', () => {
    const { menu, acts } = build({ accounts: [] });
    item(menu, 'No ChatGPT account yet');
    click(item(menu, 'Sign in with ChatGPT…'));
    expect(acts.signIn).toHaveBeenCalledTimes(1);
  });

  it('labels each status', () => {
    expect(accountStatusText(account('x', { status: 'disabled' }), time)).toBe('unusable');
    expect(accountStatusText(account('x', { status: 'cooldown' }), time)).toBe('limited');
    expect(
      accountStatusText(
        account('x', {
          quota: { ...account('x').quota, five_hour: { used_percent: 99.6, window_minutes: 300, resets_at: null } },
        }),
        time,
      ),
    ).toBe('5h 100% used');
  });
});

describe('buildTrayMenu: pooled quota line', () => {
  it('shows what the usable accounts have left together, on one disabled line above the accounts', () => {
    const { menu } = build({
      pooled: pooled({ accounts: 3, usable: 2, five_hour_remaining_percent: 63.4, weekly_remaining_percent: 89.6 }),
    });
    const labels = menu.map((i) => i.label);
    const line = 'Quota: 5h 63% left · week 90% left · 2/3 accounts usable';
    expect(labels.indexOf(line)).toBe(labels.indexOf('Accounts') - 1);
    expect(item(menu, line).enabled).toBe(false);
  });

  it('says when no account is usable and when the first one is back', () => {
    const accounts = [limited('a', 2000), limited('b', 1500), account('c', { status: 'needs_relogin' })];
    expect(pooledQuotaLine(trayState({ accounts, pooled: pooled({ accounts: 3, usable: 0 }) }), time)).toBe(
      'No account usable · first back at T1500',
    );
    const relogin = [account('a', { status: 'needs_relogin' })];
    expect(
      pooledQuotaLine(
        trayState({ accounts: relogin, pooled: pooled({ accounts: 1, usable: 0, next_reset_at: null }) }),
        time,
      ),
    ).toBe('No account usable');
  });

  it('leaves out unknown windows, and the whole line without accounts or pool data', () => {
    expect(pooledQuotaLine(trayState({ pooled: pooled({ weekly_remaining_percent: null }) }), time)).toBe(
      'Quota: 5h 63% left · 2/2 accounts usable',
    );
    expect(
      pooledQuotaLine(
        trayState({ pooled: pooled({ five_hour_remaining_percent: null, weekly_remaining_percent: null }) }),
        time,
      ),
    ).toBe('Quota: not known yet · 2/2 accounts usable');
    expect(pooledQuotaLine(trayState({ pooled: null }), time)).toBeNull();
    const { menu } = build({ accounts: [], pooled: pooled({ accounts: 0, usable: 0 }) });
    expect(all(menu).some((i) => /^Quota|^No account usable/.test(i.label ?? ''))).toBe(false);
  });
});

describe('buildTrayMenu: strategy and models', () => {
  it('has a strategy submenu of radio items that calls setStrategy', () => {
    const { menu, acts } = build({ strategy: 'least-used' });
    const submenu = item(menu, 'Account selection').submenu as MenuItemConstructorOptions[];
    expect(submenu.map((i) => [i.type, i.checked])).toEqual([
      ['radio', false],
      ['radio', false],
      ['radio', true],
    ]);
    click(item(menu, 'Round robin'));
    expect(acts.setStrategy).toHaveBeenCalledWith('round-robin');
  });

  it('has one submenu per lane listing the catalog, the configured model checked', () => {
    const { menu, acts } = build();
    const lanes = item(menu, 'Models').submenu as MenuItemConstructorOptions[];
    expect(lanes.map((i) => i.label)).toEqual(['Opus → gpt-5.3-codex', 'Sonnet → gpt-5.2-codex', 'Haiku → gpt-5.2']);
    const opus = lanes[0].submenu as MenuItemConstructorOptions[];
    expect(opus.map((i) => [i.label, i.checked])).toEqual([
      ['GPT-5.3 Codex (gpt-5.3-codex)', true],
      ['gpt-5.2-codex', false],
      ['GPT-5.2 (gpt-5.2)', false],
    ]);
    click(opus[2]);
    expect(acts.setLaneModel).toHaveBeenCalledWith('opus', 'gpt-5.2');
  });

  it('keeps a configured model the catalog no longer lists visible and checked', () => {
    const { menu } = build({ lanes: { ...trayState().lanes, haiku: { model: 'gpt-old' } } });
    const haiku = item(menu, 'Haiku → gpt-old').submenu as MenuItemConstructorOptions[];
    expect(haiku[0]).toMatchObject({ label: 'gpt-old (not in catalog)', checked: true });
    expect(haiku).toHaveLength(4);
  });

  it('shows only the configured model until the catalog has loaded', () => {
    const { menu } = build({ models: [] });
    const sonnet = item(menu, 'Sonnet → gpt-5.2-codex').submenu as MenuItemConstructorOptions[];
    expect(sonnet[0]).toMatchObject({ label: 'gpt-5.2-codex', checked: true });
    expect(sonnet[1].enabled).toBe(false);
  });
});

describe('buildTrayMenu: app items', () => {
  it('opens the dashboard, configures and restores Claude Code, quits', () => {
    const { menu, acts } = build({ claude: { configured: true, canRestore: true } });
    click(item(menu, 'Open Dashboard'));
    expect(acts.openDashboard).toHaveBeenCalledTimes(1);
    click(item(menu, /^Claude Code uses this proxy/));
    expect(acts.configureClaude).toHaveBeenCalledTimes(1);
    click(item(menu, 'Restore Claude Code settings'));
    expect(acts.restoreClaude).toHaveBeenCalledTimes(1);
    click(item(menu, 'Quit Codex Claude Proxy'));
    expect(acts.quit).toHaveBeenCalledTimes(1);
  });

  it('runs diagnostics while the proxy serves the dashboard', () => {
    const { menu, acts } = build();
    click(item(menu, 'Run diagnostics'));
    expect(acts.runDiagnostics).toHaveBeenCalledTimes(1);
    expect(item(build({ server: 'stopped', port: null }).menu, 'Run diagnostics').enabled).toBe(false);
  });

  it('disables Restore when there is no backup', () => {
    const { menu } = build();
    expect(item(menu, 'Restore Claude Code settings').enabled).toBe(false);
  });

  it('has a Launch at login checkbox passing the new state', () => {
    const { menu, acts } = build({ launchAtLogin: true });
    const toggle = item(menu, 'Launch at login');
    expect(toggle).toMatchObject({ type: 'checkbox', checked: true });
    click(toggle, false);
    expect(acts.setLaunchAtLogin).toHaveBeenCalledWith(false);
  });
});

describe('trayTooltip', () => {
  it('shows the port and the pooled quota', () => {
    expect(trayTooltip(trayState())).toBe('Codex Claude Proxy — :8081\n2/2 accounts usable · 5h 63% left');
  });

  it('works without quota data and without accounts', () => {
    expect(trayTooltip(trayState({ pooled: pooled({ five_hour_remaining_percent: null, usable: 1 }) }))).toBe(
      'Codex Claude Proxy — :8081\n1/2 accounts usable',
    );
    expect(trayTooltip(trayState({ server: 'stopped', pooled: null }))).toBe(
      'Codex Claude Proxy — stopped\nNo account yet',
    );
  });

  it('stays within the Windows tooltip limit', () => {
    expect(
      trayTooltip(trayState({ pooled: pooled({ accounts: 1000, usable: 999 }), port: 65535 })).length,
    ).toBeLessThanOrEqual(127);
  });
});

describe('localTime', () => {
  it('gives the clock time today and adds the day for a later reset', () => {
    const now = Math.floor(Date.now() / 1000);
    const clock = (s: number): string =>
      new Date(s * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const inThreeDays = now + 3 * 86_400;
    const inTwoWeeks = now + 14 * 86_400;
    expect(localTime(now)).toBe(clock(now));
    expect(localTime(inThreeDays)).toBe(
      `${new Date(inThreeDays * 1000).toLocaleDateString([], { weekday: 'short' })} ${clock(inThreeDays)}`,
    );
    expect(localTime(inTwoWeeks)).toBe(
      `${new Date(inTwoWeeks * 1000).toLocaleDateString([], { day: 'numeric', month: 'short' })} ${clock(inTwoWeeks)}`,
    );
  });
});
