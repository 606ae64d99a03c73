import { esc } from "./svg-lines";
import type { Claim } from "./claims";

/** Small HTML helpers for the report: every value goes through esc(). */
export { esc };

export const badge = (pass: boolean) =>
  `<span class="badge ${pass ? "pass" : "fail"}">${pass ? "PASS" : "FAIL"}</span>`;

/** A cockpit path: shown as text, never a link — the report makes no request and names no host. */
export const evidence = (path: string) => `<code>${esc(path)}</code>`;

export function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const tr = rows
    .map(
      (r) => `<tr>${r.map((cell, i) => `<td${numeric.includes(i) ? ' class="num"' : ""}>${cell}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table></div>`;
}

/** `where`: which kept database's cockpit the evidence opens in (`--keep`), else null. */
export function claimsTable(claims: readonly Claim[], where: string | null): string {
  const cell = (path: string) => `${evidence(path)}${where ? `<br><span class="muted">${esc(where)}</span>` : ""}`;
  return table(
    ["", "claim", "threshold", "measured", "evidence in the cockpit"],
    claims.map((c) => [badge(c.pass), esc(c.statement), esc(c.threshold), esc(c.measured), cell(c.evidence)]),
  );
}

export const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString("en-US")} ms` : "n/a");
export const percent = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "n/a");
export const short = (id: string) => esc(id.slice(0, 8));
