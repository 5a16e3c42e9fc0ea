// `npm run bench`: our proxy against a byte pass-through on the same fake upstream, in the same
// run, with the pass-through and ours taking turns so drift on a shared machine hits both alike.
//
// Two upstream workloads:
// - burst: the answer comes as fast as TCP allows, so the numbers are pure proxy overhead;
// - paced: like a real model, 300 ms to the first token, then ~160 events/s per stream.
// For each: latency (first byte, last byte) and throughput at 1, 16 and 200 concurrent streams as
// ratios to the pass-through, and the server's CPU time per stream. Then translation speed per
// core, RSS with 200 open streams, headless cold start, and the targets as PASS/FAIL.
// Options: --quick (fewer streams), --profile (ours runs under --cpu-prof; the run prints where
// the .cpuprofile landed). Never part of `npm test`.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, percentile, runLoad, type LoadResult } from './load.js';
import { cpuMs, rssBytes, watchRss, type Child } from './processes.js';
import { machine, mb, ms, rate, ratio, table, verdicts, type Target } from './report.js';
import { CLI, prepareHome, startFakeUpstream, startOurProxy, startPassthrough, type ProxyHome } from './servers.js';
import { pipelineEventsPerSec, translatorEventsPerSec } from './translation.js';
import { answerEvents, claudeCodeRequest, type UpstreamTiming } from './workload.js';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const PROFILE_DIR = path.join(os.tmpdir(), `ccp-bench-profile-${process.pid}`);
const ROUNDS = quick ? 1 : 3;
const UPSTREAM_EVENTS = answerEvents().length;

interface Workload {
  name: string;
  timing?: UpstreamTiming;
  levels: Array<{ concurrency: number; total: number }>;
}

const BURST: Workload = {
  name: 'burst',
  levels: [
    { concurrency: 1, total: quick ? 60 : 300 },
    { concurrency: 16, total: quick ? 320 : 1600 },
    { concurrency: 200, total: quick ? 800 : 3000 },
  ],
};
const PACED: Workload = {
  name: 'paced',
  timing: { thinkMs: 300, paceMs: 100 },
  levels: [
    { concurrency: 1, total: quick ? 5 : 15 },
    { concurrency: 16, total: quick ? 32 : 96 },
    { concurrency: 200, total: quick ? 200 : 600 },
  ],
};

interface Server {
  child: Child;
  url: string;
  complete: (tail: string) => boolean;
}

interface Measured {
  ttfb: number[];
  ttlb: number[];
  /** Upstream events carried per second, one value per round. */
  throughput: number[];
  /** Server CPU ms per stream, one value per round (null without /proc). */
  cpu: number[];
  failures: number;
  peakRss: number;
}

interface Level {
  concurrency: number;
  floor: Measured;
  ours: Measured;
}

const empty = (): Measured => ({ ttfb: [], ttlb: [], throughput: [], cpu: [], failures: 0, peakRss: 0 });

async function measure(
  server: Server,
  body: Buffer,
  concurrency: number,
  total: number,
  into: Measured,
): Promise<void> {
  const cpu0 = cpuMs(server.child.pid);
  const rss = watchRss(server.child.pid);
  const r: LoadResult = await runLoad({
    url: `${server.url}/v1/messages`,
    body,
    concurrency,
    total,
    complete: server.complete,
  });
  into.peakRss = Math.max(into.peakRss, rss.stop());
  const cpu1 = cpuMs(server.child.pid);
  into.ttfb.push(...r.ttfbMs);
  into.ttlb.push(...r.ttlbMs);
  into.throughput.push((total * UPSTREAM_EVENTS) / (r.wallMs / 1000));
  if (cpu0 !== null && cpu1 !== null) into.cpu.push((cpu1 - cpu0) / total);
  into.failures += r.failures;
}

async function runWorkload(w: Workload, floor: Server, ours: Server): Promise<Level[]> {
  const body = Buffer.from(JSON.stringify(claudeCodeRequest(w.timing)));
  const levels: Level[] = [];
  for (const { concurrency, total } of w.levels) {
    const level: Level = { concurrency, floor: empty(), ours: empty() };
    for (let round = 0; round < ROUNDS; round++) {
      await measure(floor, body, concurrency, total, level.floor);
      await measure(ours, body, concurrency, total, level.ours);
    }
    levels.push(level);
  }
  return levels;
}

function levelTable(levels: Level[]): string {
  const cell = (f: number, o: number, fmt: (v: number) => string = ms) => `${fmt(f)} / ${fmt(o)} (${ratio(o, f)})`;
  return table(
    [
      'streams',
      'first byte p50 ms',
      'first byte p99 ms',
      'last byte p50 ms',
      'last byte p99 ms',
      'upstream events/s',
      'CPU ms/stream',
      'failed',
    ],
    levels.map(({ concurrency, floor: f, ours: o }) => [
      String(concurrency),
      cell(median(f.ttfb), median(o.ttfb)),
      cell(percentile(f.ttfb, 99), percentile(o.ttfb, 99)),
      cell(median(f.ttlb), median(o.ttlb)),
      cell(percentile(f.ttlb, 99), percentile(o.ttlb, 99)),
      cell(median(f.throughput), median(o.throughput), rate),
      f.cpu.length ? cell(median(f.cpu), median(o.cpu)) : 'n/a',
      `${f.failures} / ${o.failures}`,
    ]),
  );
}

function levelTargets(workload: string, levels: Level[]): Target[] {
  return levels.flatMap(({ concurrency, floor: f, ours: o }) => {
    const ttfb = median(o.ttfb) / median(f.ttfb);
    const thr = median(o.throughput) / median(f.throughput);
    const out: Target[] = [
      {
        name: `${workload}: first byte p50, ${concurrency} streams`,
        measured: `${ttfb.toFixed(2)}×`,
        limit: '≤ 1.10×',
        pass: ttfb <= 1.1,
      },
      {
        name: `${workload}: throughput, ${concurrency} streams`,
        measured: `${thr.toFixed(2)}×`,
        limit: '≥ 0.80×',
        pass: thr >= 0.8,
      },
    ];
    if (o.failures > 0)
      out.push({
        name: `${workload}: failed streams, ${concurrency}`,
        measured: String(o.failures),
        limit: '0',
        pass: false,
      });
    return out;
  });
}

async function coldStart(home: ProxyHome): Promise<number> {
  const t0 = performance.now();
  const child = await startOurProxy(home);
  while ((await fetch(`${child.url}/health`).catch(() => null))?.status !== 200)
    await new Promise((r) => setTimeout(r, 2));
  const elapsed = performance.now() - t0;
  await child.stop();
  return elapsed;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does).`);
  console.log(`codex-claude-proxy benchmark${quick ? ' (quick)' : ''}\nmachine: ${machine()}\n`);
  const children: Child[] = [];
  let home: ProxyHome | undefined;
  try {
    const upstream = await startFakeUpstream();
    children.push(upstream);
    home = await prepareHome(upstream.url);
    // First, while nothing else runs: right after the load phases the machine is still settling
    // (exiting sockets, the other processes' GC), which showed up as +100 ms on the first starts.
    const starts: number[] = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) starts.push(await coldStart(home));
    const pt = await startPassthrough(upstream.url);
    children.push(pt);
    const proxy = await startOurProxy(home, profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);
    children.push(proxy);
    const floor: Server = { child: pt, url: pt.url, complete: (t) => t.includes('response.completed') };
    const ours: Server = { child: proxy, url: proxy.url, complete: (t) => t.includes('message_stop') };
    const idleRss = rssBytes(proxy.pid);
    const warmup = Buffer.from(JSON.stringify(claudeCodeRequest()));
    for (const s of [floor, ours])
      await runLoad({ url: `${s.url}/v1/messages`, body: warmup, concurrency: 8, total: 200, complete: s.complete });

    console.log(
      `Each stream: a ~50 KB Claude Code request answered with ${UPSTREAM_EVENTS} upstream events (reasoning, 200 text deltas, a tool call).`,
    );
    console.log(
      'Cells: pass-through / ours (ours ÷ pass-through). Throughput counts upstream events carried per second.\n',
    );
    const burst = await runWorkload(BURST, floor, ours);
    console.log('Burst upstream (answer as fast as TCP allows: pure proxy overhead)');
    console.log(levelTable(burst));
    const paced = await runWorkload(PACED, floor, ours);
    console.log('\nPaced upstream (300 ms to first token, then 16 events every 100 ms, like a model)');
    console.log(levelTable(paced));

    const events = answerEvents();
    const translator = translatorEventsPerSec(events, quick ? 500 : 2_000);
    const pipeline = pipelineEventsPerSec(events, quick ? 500 : 2_000);
    const oursRss = paced.at(-1)?.ours.peakRss ?? 0;
    const floorRss = paced.at(-1)?.floor.peakRss ?? 0;
    console.log(
      `\nTranslation per core: ${rate(translator)} events/s (translator alone), ${rate(pipeline)} events/s (SSE parse → translate → SSE write)`,
    );
    console.log(
      `RSS: ${mb(idleRss)} idle, ${mb(oursRss)} peak with 200 open paced streams (pass-through: ${mb(floorRss)})`,
    );

    console.log(
      `Cold start to first /health 200: median ${ms(median(starts))} ms of ${starts.length} (${starts.map(ms).join(', ')})\n`,
    );

    console.log(
      verdicts([
        ...levelTargets('burst', burst),
        ...levelTargets('paced', paced),
        { name: 'RSS, 200 open streams', measured: mb(oursRss), limit: '< 250 MB', pass: oursRss < 250 * 1024 * 1024 },
        { name: 'cold start', measured: `${ms(median(starts))} ms`, limit: '< 400 ms', pass: median(starts) < 400 },
      ]),
    );
    if (profile) console.log(`\nCPU profile of our proxy: ${PROFILE_DIR}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
    home?.remove();
  }
}

await main();
