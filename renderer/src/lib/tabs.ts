// The dashboard's sections and the URL hash that selects one (`#/accounts`), so a reload or a
// link (and the e2e test) lands on the right view.

export const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'models', label: 'Models' },
  { id: 'prompt', label: 'Test prompt' },
  { id: 'usage', label: 'Usage' },
  { id: 'logs', label: 'Logs' },
  { id: 'claude', label: 'Claude Code' },
  // The desktop tray's "Run diagnostics" opens #/doctor (main/desktop/dashboard-view.ts).
  { id: 'doctor', label: 'Doctor' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

export function tabFromHash(hash: string): TabId {
  const id = hash.replace(/^#\/?/, '');
  return TABS.find((tab) => tab.id === id)?.id ?? 'overview';
}

export function hashFor(tab: TabId): string {
  return `#/${tab}`;
}
