// A week of made-up usage for the dashboard tests and screenshots, written the way the proxy
// writes its usage files (rotated generations, oldest first), from a seeded generator so every run
// draws the same charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UsageRow } from '../../../shared/api.js';
import { encodeRow } from '../../../main/core/usage/row-line.js';
import { encodeSample, type QuotaSample } from '../../../main/core/usage/quota-line.js';

/** mulberry32: a small seeded PRNG (the numbers only need to look varied and repeat). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS: Array<[claude: string, codex: string, weight: number]> = [
  ['claude-sonnet-5-5', 'gpt-6.2-sol', 0.6],
  ['claude-haiku-5-5', 'gpt-6-luna', 0.25],
  ['claude-opus-5-5', 'gpt-6.2-astra', 0.15],
];
const WEEK = 7 * 86_400_000;

export interface Seeded {
  rows: UsageRow[];
  quota: QuotaSample[];
}

export function seedUsage(
  dir: string,
  opts: { rows: number; now: number; accounts: string[]; files?: number },
): Seeded {
  const rnd = random(20261204);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const sessions = Array.from(
    { length: 14 },
    (_, i) => `${(0x5e55_0000 + i * 4099).toString(16)}-4c1a-4e2b-9d3c-${String(i).padStart(12, '0')}`,
  );
  // Each session has its own habit: some keep the prompt cache warm, some do not.
  const hitRate = new Map(sessions.map((s, i) => [s, i % 5 === 0 ? 0.35 : 0.8 + rnd() * 0.18]));
  const start = opts.now - WEEK;
  const rows: UsageRow[] = [];
  for (let i = 0; i < opts.rows; i++) {
    // More traffic in the working hours of each day.
    let time = start + rnd() * (WEEK - 60_000);
    const hour = new Date(time).getHours();
    if ((hour < 8 || hour > 20) && rnd() < 0.7) time = start + rnd() * (WEEK - 60_000);
    const r = rnd();
    const [model, upstream] = r < MODELS[0][2] ? MODELS[0] : r < MODELS[0][2] + MODELS[1][2] ? MODELS[1] : MODELS[2];
    const session = pick(sessions);
    const input = Math.round(5_000 + rnd() * 120_000);
    const cached = Math.round(input * Math.min(1, hitRate.get(session)! + (rnd() - 0.5) * 0.1));
    const output = Math.round(80 + rnd() * 3_000);
    const s = rnd();
    const status = s < 0.02 ? 429 : s < 0.03 ? 502 : s < 0.06 ? 499 : 200;
    const ttfb = Math.round(250 + rnd() * 2_500);
    rows.push({
      time: Math.round(time),
      model,
      upstream_model: upstream,
      account: pick(opts.accounts),
      session,
      input_tokens: status === 200 ? input : 0,
      cached_tokens: status === 200 ? cached : 0,
      output_tokens: status === 200 ? output : 0,
      reasoning_tokens: status === 200 ? Math.round(output * rnd() * 0.5) : 0,
      ttfb_ms: status === 200 || status === 499 ? ttfb : null,
      duration_ms: ttfb + Math.round(rnd() * 40_000),
      status,
      attempts: rnd() < 0.03 ? 2 : 1,
    });
  }
  rows.sort((a, b) => a.time - b.time);

  // Quota every 20 minutes: the 5-hour window climbs and resets, the weekly one only climbs.
  const quota: QuotaSample[] = [];
  opts.accounts.forEach((account, n) => {
    for (let t = start; t < opts.now - 60_000; t += 20 * 60_000) {
      const intoWindow = ((t - start + n * 7_200_000) % (5 * 3_600_000)) / (5 * 3_600_000);
      quota.push({
        time: t,
        account,
        five_hour: Math.round(intoWindow * (60 + n * 25)),
        weekly: Math.round(((t - start) / WEEK) * (55 + n * 20)),
      });
    }
  });
  quota.sort((a, b) => a.time - b.time);

  mkdirSync(dir, { recursive: true });
  const files = opts.files ?? 4;
  const per = Math.ceil(rows.length / files);
  for (let f = 0; f < files; f++) {
    const name = f === files - 1 ? 'requests.jsonl' : `requests.jsonl.${files - 1 - f}`;
    writeFileSync(
      path.join(dir, name),
      rows
        .slice(f * per, (f + 1) * per)
        .map(encodeRow)
        .join(''),
    );
  }
  writeFileSync(path.join(dir, 'quota.jsonl'), quota.map(encodeSample).join(''));
  return { rows, quota };
}
