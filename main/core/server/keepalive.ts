// Drives an event stream to its end for a front end: keepalives while upstream is silent (a
// model can think for minutes; Claude Code's watchdog fires after 300 s without bytes), and an
// immediate stop — which cancels the upstream request — once the client is gone.

const GONE = Symbol('gone');
const TICK = Symbol('tick');

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
  try {
    let next = it.next();
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const racers: Array<Promise<IteratorResult<T> | typeof GONE | typeof TICK>> = [next, gone];
      if (keepalive && keepalive.everyMs > 0) {
        racers.push(
          new Promise((resolve) => {
            timer = setTimeout(() => resolve(TICK), keepalive.everyMs);
          }),
        );
      }
      const step = await Promise.race(racers);
      clearTimeout(timer);
      if (step === GONE || signal.aborted) return;
      if (step === TICK) {
        await keepalive?.send();
        continue;
      }
      if (step.done) return;
      await onEvent(step.value);
      next = it.next();
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: with a next() still pending, return() queues behind it; the lane's own abort
    // (tied to the same signal) is what unblocks the upstream read.
    void it.return?.()?.catch(() => undefined);
  }
}
