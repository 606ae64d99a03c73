/**
 * One RFC 4180 cell: quoted when it holds a quote, comma or line break; a leading = + - @
 * (or tab/CR) is prefixed with ' so a spreadsheet never evaluates it as a formula.
 */
export function csvCell(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
