// Which dashboard view the window opens on. The dashboard selects its view from the URL hash
// (`#/accounts`), so the main process navigates by URL and needs no IPC message for it.

export type DashboardView = 'overview' | 'accounts' | 'models' | 'logs' | 'claude';

export function dashboardUrl(origin: string, view: DashboardView = 'overview'): string {
  return `${origin}/#/${view}`;
}
