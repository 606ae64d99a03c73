import "server-only";

/** What a tool call touched, read from its (redacted) recorded input and output. */
export interface Touched {
  /** Workspace paths. */
  files: string[];
  /** Keys of the run's state namespace. */
  stateKeys: string[];
  /** Records of the outside or the database named in the call: ids, emails, customers. */
  records: string[];
  /** External hosts reached. */
  hosts: string[];
}

const FILE_TOOLS = new Set(["read_file", "write_file", "delete_file", "list_files"]);
const STATE_TOOLS = new Set(["state_get", "state_set"]);
// Fields that name a record: ticketId, customerId, email, customer, to…
const RECORD_FIELD = /(^|[a-z])(id|Id|ID)$|email|customer|^to$|recipient/;
const REDACTED = /\[redacted/i;

function host(url: unknown): string | null {
  if (typeof url !== "string") return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

function collectRecords(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 3 || value === null || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if ((typeof v === "string" || typeof v === "number") && RECORD_FIELD.test(k)) {
      const s = String(v);
      if (s.length > 0 && s.length <= 200 && !REDACTED.test(s)) into.add(`${k}=${s}`);
    } else if (typeof v === "object") {
      collectRecords(v, into, depth + 1);
    }
  }
}

/**
 * Built-in tools say exactly what they touch (a path, a state key, a URL). For other tools
 * (domain tools, database writers) the record-naming fields of the input and output
 * (…Id, email, customer, to) are listed as `field=value`.
 */
export function touchedBy(tool: string, input: unknown, output: unknown): Touched {
  const out: Touched = { files: [], stateKeys: [], records: [], hosts: [] };
  const args = input !== null && typeof input === "object" ? (input as Record<string, unknown>) : {};
  if (FILE_TOOLS.has(tool)) {
    if (typeof args.path === "string") out.files.push(args.path);
    else if (tool === "list_files") out.files.push(".");
    return out;
  }
  if (STATE_TOOLS.has(tool)) {
    if (typeof args.key === "string") out.stateKeys.push(args.key);
    return out;
  }
  if (tool === "http_fetch") {
    const h = host(args.url);
    if (h) out.hosts.push(h);
    return out;
  }
  if (tool === "notify") return out;
  const records = new Set<string>();
  collectRecords(args, records);
  collectRecords(output, records);
  out.records.push(...records);
  return out;
}
