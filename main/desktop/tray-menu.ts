// The tray menu as a pure function of the app's state: rebuilt from scratch whenever the core
// reports a change, so what the menu shows can never drift from what the core holds.
import type { MenuItemConstructorOptions } from 'electron';
import { SELECTION_STRATEGIES, type AccountSummary, type PooledQuota, type SelectionStrategy } from '../../shared/api.js';
import { LANES, type Lane, type LaneMap } from '../../shared/models.js';
import type { DashboardView } from './dashboard-view.js';

export interface TrayState {
  /** 'starting' until the first start attempt has finished. */
  server: 'starting' | 'running' | 'stopped';
  /** The port the server listens on (running), else null. */
  port: number | null;
  /** The configured port was taken, so the server runs on `port` instead. */
  busyPort: number | null;
  /** Why the last start failed, shown while stopped. */
  problem: string | null;
  accounts: AccountSummary[];
  strategy: SelectionStrategy;
  pooled: PooledQuota | null;
  lanes: LaneMap;
  /** Models from the live catalog; empty until it has loaded. */
  models: Array<{ slug: string; displayName: string }>;
  claude: { configured: boolean; canRestore: boolean } | null;
  launchAtLogin: boolean;
}

export interface TrayActions {
  start(): void;
  stop(): void;
  switchAccount(id: string): void;
  signIn(): void;
  setStrategy(strategy: SelectionStrategy): void;
  setLaneModel(lane: Lane, model: string): void;
  openDashboard(view?: DashboardView): void;
  /** Opens the doctor report (DIAGNOSTICS_VIEW). */
  runDiagnostics(): void;
  configureClaude(): void;
  restoreClaude(): void;
  setLaunchAtLogin(enabled: boolean): void;
  quit(): void;
}

/** Unix seconds → a short local time ("14:05", "Tue 14:05"). Injected so tests do not depend on the locale. */
export type TimeFormat = (unixSeconds: number) => string;

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Today: the clock time; within a week (a weekly reset): with the weekday; later: with the date. */
export const localTime: TimeFormat = (s) => {
  const at = new Date(s * 1000);
  const clock = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === new Date().toDateString()) return clock;
  const day =
    Math.abs(at.getTime() - Date.now()) < WEEK_MS
      ? { weekday: 'short' as const }
      : { day: 'numeric' as const, month: 'short' as const };
  return `${at.toLocaleDateString([], day)} ${clock}`;
};

const STRATEGY_LABELS: Record<SelectionStrategy, string> = {
  sticky: 'Sticky (keep each session on one account)',
  'round-robin': 'Round robin',
  'least-used': 'Least used',
};

const LANE_LABELS: Record<Lane, string> = { opus: 'Opus', sonnet: 'Sonnet', haiku: 'Haiku' };

export function accountLabel(account: AccountSummary): string {
  return account.email ?? account.account_id;
}

export function accountStatusText(account: AccountSummary, time: TimeFormat): string {
  switch (account.status) {
    case 'active': {
      const five = account.quota.five_hour;
      return five ? `5h ${Math.round(five.used_percent)}% used` : 'ready';
    }
    case 'cooldown':
      return account.status_until ? `limited until ${time(account.status_until)}` : 'limited';
    case 'needs_relogin':
      return 'sign in again';
    case 'disabled':
      return 'unusable';
  }
}

function serverItems(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  if (state.server === 'starting') return [{ label: 'Proxy starting…', enabled: false }];
  if (state.server === 'stopped') {
    return [
      { label: 'Proxy stopped', enabled: false },
      ...(state.problem ? [{ label: state.problem, enabled: false }] : []),
      { label: 'Start proxy', click: () => actions.start() },
    ];
  }
  return [
    { label: `Proxy running on 127.0.0.1:${state.port}`, enabled: false },
    ...(state.busyPort !== null
      ? [{ label: `Port ${state.busyPort} is in use by another program`, enabled: false }]
      : []),
    { label: 'Stop proxy', click: () => actions.stop() },
  ];
}

/** The pool at a glance: what the usable accounts have left together, or when one is back. */
export function pooledQuotaLine(state: TrayState, time: TimeFormat): string | null {
  const pooled = state.pooled;
  if (!pooled || pooled.accounts === 0) return null;
  if (pooled.usable === 0) {
    const back = state.accounts
      .filter((a) => a.status === 'cooldown' && a.status_until !== null)
      .map((a) => a.status_until as number);
    const first = back.length ? Math.min(...back) : pooled.next_reset_at;
    return `No account usable${first ? ` · first back at ${time(first)}` : ''}`;
  }
  const left = [
    pooled.five_hour_remaining_percent === null ? null : `5h ${Math.round(pooled.five_hour_remaining_percent)}% left`,
    pooled.weekly_remaining_percent === null ? null : `week ${Math.round(pooled.weekly_remaining_percent)}% left`,
  ].filter((part): part is string => part !== null);
  return `Quota: ${left.length ? left.join(' · ') : 'not known yet'} · ${pooled.usable}/${pooled.accounts} accounts usable`;
}

function accountItems(state: TrayState, actions: TrayActions, time: TimeFormat): MenuItemConstructorOptions[] {
  const rows: MenuItemConstructorOptions[] = state.accounts.map((account) => {
    const label = `${accountLabel(account)} — ${accountStatusText(account, time)}`;
    // A sign-in that has lapsed is fixed by signing in again, not by preferring the account.
    if (account.status === 'needs_relogin') return { label, click: () => actions.signIn() };
    return { label, type: 'radio', checked: account.preferred, click: () => actions.switchAccount(account.id) };
  });
  const quota = pooledQuotaLine(state, time);
  return [
    ...(quota ? [{ label: quota, enabled: false }] : []),
    { label: state.accounts.length ? 'Accounts' : 'No ChatGPT account yet', enabled: false },
    ...rows,
    { label: 'Sign in with ChatGPT…', click: () => actions.signIn() },
  ];
}

function strategyMenu(state: TrayState, actions: TrayActions): MenuItemConstructorOptions {
  return {
    label: 'Account selection',
    submenu: SELECTION_STRATEGIES.map((strategy) => ({
      label: STRATEGY_LABELS[strategy],
      type: 'radio',
      checked: state.strategy === strategy,
      click: () => actions.setStrategy(strategy),
    })),
  };
}

function laneSubmenu(lane: Lane, state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const configured = state.lanes[lane].model;
  if (state.models.length === 0) {
    return [
      { label: configured, type: 'radio', checked: true },
      { label: 'More models appear once the catalog has loaded', enabled: false },
    ];
  }
  const choices = state.models.map((m) => ({
    slug: m.slug,
    label: m.displayName === m.slug ? m.slug : `${m.displayName} (${m.slug})`,
  }));
  // A configured model the catalog no longer lists stays visible, so the menu tells the truth.
  if (!choices.some((c) => c.slug === configured))
    choices.unshift({ slug: configured, label: `${configured} (not in catalog)` });
  return choices.map(({ slug, label }) => ({
    label,
    type: 'radio',
    checked: slug === configured,
    click: () => actions.setLaneModel(lane, slug),
  }));
}

function modelsMenu(state: TrayState, actions: TrayActions): MenuItemConstructorOptions {
  return {
    label: 'Models',
    submenu: LANES.map((lane) => ({
      label: `${LANE_LABELS[lane]} → ${state.lanes[lane].model}`,
      submenu: laneSubmenu(lane, state, actions),
    })),
  };
}

function claudeItems(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const running = state.server === 'running';
  return [
    {
      label: state.claude?.configured ? 'Claude Code uses this proxy ✓ (configure again)' : 'Configure Claude Code',
      enabled: running,
      click: () => actions.configureClaude(),
    },
    {
      label: 'Restore Claude Code settings',
      enabled: state.claude?.canRestore ?? false,
      click: () => actions.restoreClaude(),
    },
  ];
}

export function buildTrayMenu(
  state: TrayState,
  actions: TrayActions,
  time: TimeFormat = localTime,
): MenuItemConstructorOptions[] {
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  return [
    ...serverItems(state, actions),
    separator,
    ...accountItems(state, actions, time),
    strategyMenu(state, actions),
    modelsMenu(state, actions),
    separator,
    { label: 'Open Dashboard', enabled: state.server === 'running', click: () => actions.openDashboard() },
    { label: 'Run diagnostics', enabled: state.server === 'running', click: () => actions.runDiagnostics() },
    ...claudeItems(state, actions),
    separator,
    {
      label: 'Launch at login',
      type: 'checkbox',
      checked: state.launchAtLogin,
      click: (item) => actions.setLaunchAtLogin(item.checked),
    },
    { label: 'Quit Codex Claude Proxy', click: () => actions.quit() },
  ];
}

/** One or two short lines (Windows cuts tooltips at 127 characters). */
export function trayTooltip(state: TrayState): string {
  const head =
    state.server === 'running'
      ? `Codex Claude Proxy — :${state.port}`
      : `Codex Claude Proxy — ${state.server === 'starting' ? 'starting' : 'stopped'}`;
  const pooled = state.pooled;
  if (!pooled || pooled.accounts === 0) return `${head}\nNo account yet`;
  const left =
    pooled.five_hour_remaining_percent === null ? '' : ` · 5h ${Math.round(pooled.five_hour_remaining_percent)}% left`;
  return `${head}\n${pooled.usable}/${pooled.accounts} accounts usable${left}`;
}
