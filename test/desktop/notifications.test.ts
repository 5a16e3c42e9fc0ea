import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Notification, resetFakes } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

const { Notifier } = await import('../../main/desktop/notifications.js');

beforeEach(() => resetFakes());

describe('Notifier', () => {
  it('shows an OS notification and reports its click', () => {
    const clicked = vi.fn();
    const notice = { kind: 'error' as const, title: 'T', body: 'B', onClick: { open: 'overview' as const } };
    new Notifier('/icon.png', clicked).show(notice);
    expect(Notification.shown).toHaveLength(1);
    expect(Notification.shown[0].options).toEqual({ title: 'T', body: 'B', icon: '/icon.png' });
    Notification.shown[0].emit('click');
    expect(clicked).toHaveBeenCalledWith(notice);
  });

  it('does nothing where notifications are unsupported', () => {
    Notification.isSupported.mockReturnValueOnce(false);
    new Notifier(undefined, vi.fn()).show({ kind: 'error', title: 'T', body: 'B', onClick: { open: 'overview' } });
    expect(Notification.shown).toHaveLength(0);
  });
});
