/**
 * The audit explorer's query language (pure: no database, usable in the browser too).
 *
 *   actor:jane@acme.example action:run.* run:3f2a since:24h "customer@example.com"
 *
 * Terms are `key:value` or free text; values and free text may be double-quoted. Terms
 * with the same key are OR-ed, different keys are AND-ed, free text words are AND-ed.
 */
export const AUDIT_QUERY_KEYS = [
  "actor",
  "action",
  "subject",
  "run",
  "job",
  "token",
  "outcome",
  "since",
  "until",
] as const;
export type AuditQueryKey = (typeof AUDIT_QUERY_KEYS)[number];

export const AUDIT_QUERY_SYNTAX = [
  "actor:<id | a user's email | kind | kind:id>  e.g. actor:jane@acme.example, actor:system, actor:token:tok_1",
  "action:<action>  prefix wildcard with *    e.g. action:run.*, action:tool.called",
  "subject:<id> or subject:<type>:<id>         e.g. subject:approval:8c1e…",
  "run:<run id or a prefix of it (≥ 4 chars)>  e.g. run:3f2a9c",
  "job:<job id>                                e.g. job:triage-ticket",
  "token:<token id>",
  "outcome:<succeeded|failed|refused|…>",
  "since:/until:<ISO date or date-time, or 30m, 24h, 7d ago>",
  'free text (words or "quoted phrases") matches inside payloads',
].join("\n");

export interface AuditQueryAction {
  value: string;
  prefix: boolean;
}

export interface ParsedAuditQuery {
  actors: string[];
  actions: AuditQueryAction[];
  subjects: { type: string | null; id: string }[];
  runs: string[];
  jobs: string[];
  tokens: string[];
  outcomes: string[];
  since: Date | null;
  until: Date | null;
  text: string[];
}

export class AuditQueryError extends Error {
  constructor(
    message: string,
    /** The term that failed, as typed. */
    readonly token: string,
    readonly suggestion: string | null = null,
  ) {
    super(message);
    this.name = "AuditQueryError";
  }
}

interface RawTerm {
  raw: string;
  key: string | null;
  value: string;
}

/** Splits on whitespace outside double quotes; `key:"a b"` keeps its key. */
function tokenize(q: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q.charAt(i))) i += 1;
    if (i >= q.length) break;
    const start = i;
    let key: string | null = null;
    let value = "";
    let quoted = false;
    while (i < q.length && !/\s/.test(q.charAt(i))) {
      const c = q.charAt(i);
      if (c === '"') {
        const end = q.indexOf('"', i + 1);
        if (end < 0) throw new AuditQueryError(`Unclosed quote in ${q.slice(start)}`, q.slice(start));
        value += q.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      if (c === ":" && key === null && !quoted && /^[A-Za-z_]+$/.test(value)) {
        key = value;
        value = "";
        i += 1;
        continue;
      }
      value += c;
      i += 1;
    }
    terms.push({ raw: q.slice(start, i), key, value });
  }
  return terms;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const old = row[j] ?? 0;
      row[j] = Math.min(old + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = old;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known key, when it is close enough to be a typo. */
export function suggestKey(key: string): string | null {
  const lower = key.toLowerCase();
  let best: { key: string; d: number } | null = null;
  for (const k of AUDIT_QUERY_KEYS) {
    const d = k.startsWith(lower) || lower.startsWith(k) ? 1 : distance(lower, k);
    if (!best || d < best.d) best = { key: k, d };
  }
  return best && best.d <= 2 ? best.key : null;
}

const RELATIVE = /^(\d{1,6})(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseInstant(term: RawTerm, now: number): Date {
  const rel = RELATIVE.exec(term.value);
  if (rel) return new Date(now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]);
  if (ISO.test(term.value)) {
    // A bare date or a date-time without a zone is read as UTC, so a query means the same everywhere.
    const bare =
      term.value.length === 10
        ? `${term.value}T00:00:00Z`
        : /(Z|[+-]\d{2}:?\d{2})$/.test(term.value)
          ? term.value
          : `${term.value}Z`;
    const d = new Date(bare.replace(" ", "T"));
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new AuditQueryError(
    `${term.key}: "${term.value}" is not a time (use 2026-11-30, 2026-11-30T08:00:00Z, or 30m / 24h / 7d ago)`,
    term.raw,
  );
}

/** Parses a query string; throws AuditQueryError naming the failing term. `now` anchors relative times. */
export function parseAuditQuery(q: string, now: number = Date.now()): ParsedAuditQuery {
  const out: ParsedAuditQuery = {
    actors: [],
    actions: [],
    subjects: [],
    runs: [],
    jobs: [],
    tokens: [],
    outcomes: [],
    since: null,
    until: null,
    text: [],
  };
  if (q.length > 2000) throw new AuditQueryError("The query is longer than 2000 characters", q.slice(0, 40));
  for (const term of tokenize(q)) {
    if (term.key === null) {
      if (term.value.trim() !== "") out.text.push(term.value);
      continue;
    }
    const key = term.key.toLowerCase();
    if (!(AUDIT_QUERY_KEYS as readonly string[]).includes(key)) {
      const suggestion = suggestKey(key);
      throw new AuditQueryError(
        `Unknown key "${term.key}:"${suggestion ? ` — did you mean ${suggestion}:?` : ""} (put text with a colon in quotes to search for it)`,
        term.raw,
        suggestion,
      );
    }
    const value = term.value.trim();
    if (value === "") throw new AuditQueryError(`${key}: needs a value`, term.raw);
    if (value.length > 200) throw new AuditQueryError(`${key}: value is longer than 200 characters`, term.raw);
    switch (key as AuditQueryKey) {
      case "actor":
        out.actors.push(value);
        break;
      case "action": {
        if (!/^[a-z0-9_.-]*\*?$/i.test(value) || value === "*") {
          throw new AuditQueryError(
            `action: "${value}" is not an action name or a prefix ending in * (e.g. run.*)`,
            term.raw,
          );
        }
        out.actions.push(value.endsWith("*") ? { value: value.slice(0, -1), prefix: true } : { value, prefix: false });
        break;
      }
      case "subject": {
        const colon = value.indexOf(":");
        out.subjects.push(
          colon > 0 ? { type: value.slice(0, colon), id: value.slice(colon + 1) } : { type: null, id: value },
        );
        break;
      }
      case "run":
        if (value.length < 4)
          throw new AuditQueryError(`run: "${value}" is too short; give at least 4 characters of the run id`, term.raw);
        out.runs.push(value.toLowerCase());
        break;
      case "job":
        out.jobs.push(value);
        break;
      case "token":
        out.tokens.push(value);
        break;
      case "outcome":
        out.outcomes.push(value);
        break;
      case "since":
        if (out.since) throw new AuditQueryError("since: is given twice", term.raw);
        out.since = parseInstant({ ...term, key }, now);
        break;
      case "until":
        if (out.until) throw new AuditQueryError("until: is given twice", term.raw);
        out.until = parseInstant({ ...term, key }, now);
        break;
    }
  }
  if (out.since && out.until && out.since.getTime() > out.until.getTime()) {
    throw new AuditQueryError(
      `since (${out.since.toISOString()}) is after until (${out.until.toISOString()})`,
      q.match(/since:\S+/i)?.[0] ?? "since:",
    );
  }
  return out;
}

/** True when the query filters nothing. */
export function isEmptyQuery(p: ParsedAuditQuery): boolean {
  return (
    p.actors.length +
      p.actions.length +
      p.subjects.length +
      p.runs.length +
      p.jobs.length +
      p.tokens.length +
      p.outcomes.length +
      p.text.length ===
      0 &&
    p.since === null &&
    p.until === null
  );
}
