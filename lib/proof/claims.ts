/**
 * A claim is one checked statement of the report: a measured figure against a stated
 * threshold, pass or fail, with the cockpit path where its evidence can be inspected.
 */
export interface Claim {
  id: string;
  test: "contention" | "isolation" | "audit";
  /** What is claimed, in one sentence. */
  statement: string;
  /** The threshold as stated to the reader, e.g. "≤ 1.5 × alone p99 + one turn". */
  threshold: string;
  /** The measured figure, formatted for people. */
  measured: string;
  pass: boolean;
  /** Cockpit path (e.g. /runs/<id>, /audit?q=…) where the evidence is. */
  evidence: string;
}

export function claim(fields: Claim): Claim {
  return fields;
}

/** `measured ≤ limit` as a claim (NaN — nothing measured — fails). */
export function atMost(
  fields: Omit<Claim, "pass" | "measured"> & { value: number; limit: number; unit: string },
): Claim {
  const { value, limit, unit, ...rest } = fields;
  return { ...rest, measured: `${formatNumber(value)} ${unit}`.trim(), pass: Number.isFinite(value) && value <= limit };
}

/** `measured ≥ limit` as a claim (NaN fails). */
export function atLeast(
  fields: Omit<Claim, "pass" | "measured"> & { value: number; limit: number; unit: string },
): Claim {
  const { value, limit, unit, ...rest } = fields;
  return { ...rest, measured: `${formatNumber(value)} ${unit}`.trim(), pass: Number.isFinite(value) && value >= limit };
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString("en-US");
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/** An explorer link: the audit page reads `q` (query) and `seq` (the event drawer). */
export function auditLink(q: string, seq?: number | null): string {
  const params = new URLSearchParams({ q });
  if (seq !== undefined && seq !== null) params.set("seq", String(seq));
  return `/audit?${params.toString()}`;
}
