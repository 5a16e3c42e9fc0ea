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
  let onAbort: () => void = () => undefined;
  const gone = new Promise<typeof GONE>((resolve) => {
    onAbort = () => resolve(GONE);
    signal.addEventListener('abort', onAbort, { once: true });
  });
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
      const step = await Promise.race([it.next(), gone]);
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
