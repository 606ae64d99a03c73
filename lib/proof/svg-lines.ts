/**
 * A line chart as inline SVG (no script, no external font or stylesheet): the report's CDF
 * of waits (log x axis) and shares over time. Colours come from CSS classes the report's
 * stylesheet sets for light and dark; <title>/<desc> carry the figures for screen readers.
 */
export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Reference lines (entitlements) are dashed. */
  dashed?: boolean;
  /** Colour slot 0–5 (default: the series' position), so a reference line can share its series' colour. */
  tone?: number;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  xLog?: boolean;
  yMax?: number;
  /** Formats tick values. */
  xTick?: (v: number) => string;
  yTick?: (v: number) => string;
  /** One sentence of what the chart shows, for <desc>. */
  description: string;
}

export const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const W = 720;
const H = 320;
const M = { left: 64, right: 16, top: 36, bottom: 70 };

export function lineChart(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x).filter((x) => Number.isFinite(x) && (!chart.xLog || x > 0));
  const ys = all.map(([, y]) => y).filter(Number.isFinite);
  const tx = (v: number) => (chart.xLog ? Math.log10(Math.max(v, 1e-9)) : v);
  const x0 = xs.length ? Math.min(...xs.map(tx)) : 0;
  const x1Raw = xs.length ? Math.max(...xs.map(tx)) : 1;
  const x1 = x1Raw > x0 ? x1Raw : x0 + 1;
  const yTop = chart.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const y1 = yTop > 0 ? yTop : 1;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (v: number) => M.left + ((tx(v) - x0) / (x1 - x0)) * pw;
  const py = (v: number) => M.top + ph - (v / y1) * ph;
  const fx = chart.xTick ?? ((v: number) => String(Math.round(v)));
  const fy = chart.yTick ?? ((v: number) => String(Math.round(v * 100) / 100));
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (y1 * i) / 4;
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}"/>`,
      `<text class="tick" x="${M.left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${esc(fy(v))}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const t = x0 + ((x1 - x0) * i) / 5;
    const v = chart.xLog ? 10 ** t : t;
    const x = M.left + (pw * i) / 5;
    parts.push(
      `<text class="tick" x="${x.toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${esc(fx(v))}</text>`,
    );
  }
  chart.series.forEach((s, i) => {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!chart.xLog || x > 0));
    if (pts.length === 0) return;
    const d = pts.map(([x, y], j) => `${j === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join("");
    parts.push(`<path class="s${(s.tone ?? i) % 6}${s.dashed ? " ref" : ""}" d="${d}"/>`);
  });
  const legend = chart.series
    .map((s, i) => {
      const x = M.left + (i % 3) * 220;
      const y = H - 26 + Math.floor(i / 3) * 16;
      return `<line class="s${(s.tone ?? i) % 6}${s.dashed ? " ref" : ""}" x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}"/><text class="legend" x="${x + 24}" y="${y}">${esc(s.label)}</text>`;
    })
    .join("");
  return `<svg class="chart" viewBox="0 0 ${W} ${H + 16}" role="img" aria-labelledby="t-${slug(chart.title)} d-${slug(chart.title)}" xmlns="http://www.w3.org/2000/svg">
<title id="t-${slug(chart.title)}">${esc(chart.title)}</title><desc id="d-${slug(chart.title)}">${esc(chart.description)}</desc>
<text class="title" x="${M.left}" y="20">${esc(chart.title)}</text>
${parts.join("")}
<text class="axis" x="${M.left + pw / 2}" y="${M.top + ph + 34}" text-anchor="middle">${esc(chart.xLabel)}</text>
<text class="axis" transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>
${legend}
</svg>`;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40);
}

/** Empirical CDF points of a sample: (value, fraction ≤ value). */
export function cdfPoints(values: readonly number[], maxPoints = 200): [number, number][] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const step = Math.max(1, Math.floor(n / maxPoints));
  const points: [number, number][] = [];
  for (let i = 0; i < n; i += step) points.push([Math.max(1, sorted[i] ?? 1), (i + 1) / n]);
  points.push([Math.max(1, sorted[n - 1] ?? 1), 1]);
  return points;
}
