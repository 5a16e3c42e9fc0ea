// Periodic refresh for views that mirror server state. Never overlaps: a slow answer delays the
// next call instead of stacking requests.

/** Call `load` now and then every `intervalMs` until the returned stop function is called. */
export function poll(load: () => Promise<unknown>, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      await load();
    } catch {
      // `load` reports its own errors; polling carries on
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
