import { describe, expect, it } from 'vitest';
import { forEachWithKeepalive } from '../../../main/core/server/keepalive.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forEachWithKeepalive', () => {
  it('sends keepalives while the source is silent and delivers every event in order', async () => {
    async function* slow() {
      yield 1;
      await sleep(120);
      yield 2;
    }
    const seen: Array<number | 'ping'> = [];
    await forEachWithKeepalive(slow(), new AbortController().signal, async (n) => void seen.push(n), {
      everyMs: 20,
      send: async () => void seen.push('ping'),
    });
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(2);
    expect(seen.filter((s) => s === 'ping').length).toBeGreaterThan(0);
  });

  it('stops at once when the client goes away, even while the source hangs', async () => {
    let finished = false;
    async function* hang() {
      try {
        yield 1;
        await new Promise(() => undefined);
      } finally {
        finished = true;
      }
    }
    const controller = new AbortController();
    const seen: number[] = [];
    const done = forEachWithKeepalive(hang(), controller.signal, async (n) => void seen.push(n));
    await sleep(20);
    controller.abort();
    await done;
    expect(seen).toEqual([1]);
    // The generator cannot run its finally while suspended on a never-settling await; the lane's
    // own abort (same signal) is what ends the upstream read in production.
    expect(finished).toBe(false);
  });
});
