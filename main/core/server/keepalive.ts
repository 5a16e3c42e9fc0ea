// Drives an event stream to its end for a front end: keepalives while upstream is silent (a
// model can think for minutes; Claude Code's watchdog fires after 300 s without bytes), and an
// immediate stop — which cancels the upstream request — once the client is gone.
// One interval per stream rather than a timer per event: this loop runs for every event of
// every stream (docs/PERFORMANCE.md).

const GONE = Symbol('gone');

export interface Keepalive {
  everyMs: number;
  send: () => Promise<void>;
}

export async function forEachWithKeepalive<T>(
  events: AsyncIterable<T>,
  signal: AbortSignal,
  onEvent: (ev: T) => Promise<void>,
  keepalive?: Keepalive,
): Promise<void> {
  const it = events[Symbol.asyncIterator]();
  // Resolves the pending step with GONE when the client leaves. A fresh waiter per step rather
  // than Promise.race against one long-lived promise, which would keep a reaction per step
  // attached to it for the whole stream.
  let wake: (gone: typeof GONE) => void = () => undefined;
  const onAbort = (): void => wake(GONE);
  signal.addEventListener('abort', onAbort, { once: true });
  let lastActivity = Date.now();
  const ticker =
    keepalive && keepalive.everyMs > 0
      ? setInterval(
          () => {
            if (Date.now() - lastActivity < keepalive.everyMs) return;
            lastActivity = Date.now();
            keepalive.send().catch(() => undefined);
          },
          Math.max(1, Math.floor(keepalive.everyMs / 2)),
        )
      : undefined;
  try {
    for (;;) {
      if (signal.aborted) return;
      const next = it.next();
      const step = await new Promise<IteratorResult<T> | typeof GONE>((resolve, reject) => {
        wake = resolve;
        next.then(resolve, reject);
      });
      if (step === GONE || signal.aborted || step.done) return;
      lastActivity = Date.now();
      await onEvent(step.value);
    }
  } finally {
    clearInterval(ticker);
    signal.removeEventListener('abort', onAbort);
    // Not awaited: with a next() still pending, return() queues behind it; the lane's own abort
    // (tied to the same signal) is what unblocks the upstream read.
    void it.return?.()?.catch(() => undefined);
  }
}
