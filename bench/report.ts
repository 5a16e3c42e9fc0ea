// Plain-text tables and target verdicts for the benchmark's output (also pasted into
// docs/PERFORMANCE.md, so the layout is Markdown).
import os from 'node:os';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));
export const ratio = (ours: number, floor: number): string => `${(ours / floor).toFixed(2)}×`;
export const rate = (v: number): string => (v >= 10_000 ? `${Math.round(v / 1000)}k` : String(Math.round(v)));
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export interface Target {
  name: string;
  measured: string;
  limit: string;
  pass: boolean;
}

export function verdicts(targets: Target[]): string {
  return table(
    ['target', 'measured', 'limit', 'result'],
    targets.map((t) => [t.name, t.measured, t.limit, t.pass ? 'PASS' : 'FAIL']),
  );
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}
