/** Metrics and charts for bench/fairness. */
import type { Served } from "./harness";

export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function waits(served: Served[], key: string): number[] {
  return served.filter((s) => s.key === key).map((s) => Math.max(0, s.startedAt - s.enqueuedAt));
}

/** cost = input + 2 × output, at least 100 (Flightdeck's default charge). */
export const costOf = (tokensIn: number, tokensOut: number) => Math.max(100, tokensIn + 2 * tokensOut);

export interface ShareReport {
  turns: Record<string, number>;
  tokens: Record<string, number>;
  /** Share of service (the chosen basis) per key. */
  share: Record<string, number>;
  /** Jain's fairness index over service / weight (1 = perfectly weighted-fair). */
  jain: number;
  /** max over keys of |share − entitled| / entitled. */
  shareError: number;
  /** Busy slot time / (slots × window). */
  utilisation: number;
}

/**
 * Over the first `windowTurns` turns started (a window in which every key is backlogged):
 * per-key turns and tokens, service share against the weights, Jain's index, utilisation.
 */
export function shares(
  served: Served[],
  weights: Record<string, number>,
  windowTurns: number,
  slots: number,
  basis: "tokens" | "turns",
  keyOf: (key: string) => string = (k) => k,
): ShareReport {
  const window = [...served].sort((a, b) => a.startedAt - b.startedAt).slice(0, windowTurns);
  const turns: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  for (const s of window) {
    const k = keyOf(s.key);
    turns[k] = (turns[k] ?? 0) + 1;
    tokens[k] = (tokens[k] ?? 0) + s.tokens;
  }
  const basisOf = (k: string) => (basis === "tokens" ? (tokens[k] ?? 0) : (turns[k] ?? 0));
  const keys = Object.keys(weights);
  const total = keys.reduce((sum, k) => sum + basisOf(k), 0) || 1;
  const totalWeight = keys.reduce((sum, k) => sum + (weights[k] ?? 1), 0);
  const share: Record<string, number> = {};
  let shareError = 0;
  for (const k of keys) {
    share[k] = basisOf(k) / total;
    const entitled = (weights[k] ?? 1) / totalWeight;
    shareError = Math.max(shareError, Math.abs((share[k] ?? 0) - entitled) / entitled);
  }
  const x = keys.map((k) => basisOf(k) / (weights[k] ?? 1));
  const jain = x.reduce((a, b) => a + b, 0) ** 2 / (x.length * x.reduce((a, b) => a + b * b, 0) || 1);
  const t0 = window[0]?.startedAt ?? 0;
  const t1 = window[window.length - 1]?.startedAt ?? t0;
  let busy = 0;
  for (const s of served) busy += Math.max(0, Math.min(s.finishedAt, t1) - Math.max(s.startedAt, t0));
  const utilisation = t1 > t0 ? busy / (slots * (t1 - t0)) : NaN;
  return { turns, tokens, share, jain, shareError, utilisation };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * A grouped bar chart as a standalone SVG (light and dark via prefers-color-scheme), with
 * <title>/<desc>; the same numbers are in the table next to it in RESULTS.md.
 */
export function barChart(
  title: string,
  unit: string,
  groups: { label: string; bars: { label: string; value: number }[] }[],
): string {
  const width = 760;
  const rowH = 22;
  const barCount = groups.reduce((n, g) => n + g.bars.length, 0);
  const height = 50 + barCount * rowH + groups.length * 14;
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const left = 300;
  const plot = width - left - 90;
  const palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"];
  let y = 40;
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(`<text x="8" y="${y + 12}" class="g">${esc(g.label)}</text>`);
    g.bars.forEach((b, i) => {
      const v = Number.isFinite(b.value) ? b.value : 0;
      const w = Math.max(1, (v / max) * plot);
      parts.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end" class="l">${esc(b.label)}</text>`);
      parts.push(
        `<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${palette[i % palette.length]}" rx="2"/>`,
      );
      parts.push(
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + 14}" class="v">${Number.isFinite(b.value) ? `${fmt(b.value)} ${unit}` : "n/a"}</text>`,
      );
      y += rowH;
    });
    y += 14;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="t d">
<title id="t">${esc(title)}</title><desc id="d">${esc(groups.map((g) => `${g.label}: ${g.bars.map((b) => `${b.label} ${fmt(b.value)} ${unit}`).join(", ")}`).join("; "))}</desc>
<style>text{font:12px system-ui,sans-serif;fill:#1f2937}.g{font-weight:600}.h{font-size:14px;font-weight:600}@media (prefers-color-scheme:dark){svg{background:#111827}text{fill:#e5e7eb}}</style>
<text x="8" y="22" class="h">${esc(title)}</text>
${parts.join("\n")}
</svg>
`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3);
}
