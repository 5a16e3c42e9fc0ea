// Which dashboard view the window opens on. The dashboard selects its view from the URL hash
// (`#/accounts`), so the main process navigates by URL and needs no IPC message for it.

export type DashboardView = 'overview' | 'accounts' | 'models' | 'logs' | 'claude' | 'doctor';

/**
 * Where "Run diagnostics" (tray) lands: the dashboard's Doctor view, which shows the report of
 * `GET /api/doctor`. The renderer owns that view (its tab id must stay `doctor`); a dashboard
 * without it falls back to the overview for an unknown hash.
 */
export const DIAGNOSTICS_VIEW: DashboardView = 'doctor';

export function dashboardUrl(origin: string, view: DashboardView = 'overview'): string {
  return `${origin}/#/${view}`;
}
