/** The grouped bar chart of bench/fairness (standalone SVG) and the number format shared by the charts. */

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
