/** Latency summary helpers shared by the audit bench's parts. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles (ms), the same rule as the kanban bench. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { n: sorted.length, p50: q(0.5), p95: q(0.95), max: sorted.at(-1) ?? 0 };
}

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
export const int = (v: number) => Math.round(v).toLocaleString("en-US");
export const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function arg(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

export const loadavg = (values: number[]) => values.map((v) => v.toFixed(2)).join(" / ");
