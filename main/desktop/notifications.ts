// Shows notices (alerts.ts decides which) as OS notifications.
import { Notification } from 'electron';
import type { Notice } from './alerts.js';

/** Keeps each notification alive until it is clicked or closed. */
export class Notifier {
  private readonly live = new Set<Notification>();

  constructor(
    private readonly icon: string | undefined,
    private readonly onClick: (notice: Notice) => void,
  ) {}

  show(notice: Notice): void {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: notice.title, body: notice.body, icon: this.icon });
    // Without a reference the notification can be collected and its click handler lost.
    this.live.add(note);
    const release = (): void => void this.live.delete(note);
    note.on('click', () => {
      release();
      this.onClick(notice);
    });
    note.on('close', release);
    note.show();
  }
}
