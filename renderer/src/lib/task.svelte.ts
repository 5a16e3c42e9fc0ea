// Busy/error state for a view's API calls: one place that turns a thrown error into a message.
import { errorText } from './errors.js';

export class Task {
  busy = $state(false);
  error = $state<string | null>(null);

  /** Run `work`; on failure keep the message in `error` and resolve to undefined. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = null;
    try {
      return await work();
    } catch (error) {
      this.error = errorText(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
