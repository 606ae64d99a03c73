import { PROOF_LOG_ORIGIN } from "./names";

/**
 * A database `npm run proof -- --keep` left in place, as the report records it, and the
 * commands that open a cockpit on it and remove it. Pure: the report stores them with the
 * server's password masked, the command prints them with the real URL.
 */
export interface KeptDatabase {
  /** Its directory's name under <out>/databases. */
  name: "contention" | "audit";
  /** The tests whose evidence it holds. */
  tests: ("contention" | "isolation" | "audit")[];
  kind: "pglite" | "postgres";
  /** Its data directory as `npm start` reads one: audit-keys/, anchors/ and (PGlite) pglite/. */
  dataDir: string;
  /** Postgres: the database's name on the server; PGlite: null. */
  database: string | null;
  /** The port its cockpit command listens on (one per database, so both can be open at once). */
  port: number;
  /** The demo users seeded into it at the end, and their password (null: FLIGHTDECK_DEMO_PASSWORD was set). */
  signIn: { users: { email: string; role: string }[]; password: string | null };
  /** Commands as the report shows them (a password in the server URL masked). */
  open: string;
  drop: string;
}

/** "test 1", "tests 2 and 3": the tests as the report numbers them. */
export function testsLabel(tests: KeptDatabase["tests"]): string {
  const numbers = tests.map((t) => ({ contention: 1, isolation: 2, audit: 3 })[t]);
  const last = numbers.pop();
  return numbers.length === 0 ? `test ${last ?? ""}` : `tests ${numbers.join(", ")} and ${last ?? ""}`;
}

export type KeptPlace = Pick<KeptDatabase, "kind" | "dataDir" | "database" | "port">;

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for a POSIX shell: as is when it holds nothing special, else in single quotes. */
export function shellWord(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The URL with its password replaced by `<password>`, for what is written to files. */
export function maskPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password === "") return databaseUrl;
  url.password = "__password__";
  return url.toString().replace(":__password__@", ":<password>@");
}

/** The URL of a database on the same server as `serverUrl`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** How the server's URL appears in a command: as given (printed) or with its password masked (files). */
export interface UrlForm {
  serverUrl: string | undefined;
  mask: boolean;
}

function urlIn(form: UrlForm, database: string | null): string {
  if (!form.serverUrl) throw new Error("a kept Postgres database needs its server's URL");
  const url = database ? databaseUrl(form.serverUrl, database) : form.serverUrl;
  return form.mask ? maskPassword(url) : url;
}

/**
 * `npm start` on the kept database: its data directory (audit keys, and the PGlite database
 * under it), the proof's log origin and anchors so the explorer's proofs and verification hold,
 * no demo data and no embedded runtime, so the cockpit shows what the proof left and runs
 * nothing of it (its boot still marks the proof's jobs removed: the app's packs do not declare them).
 */
export function cockpitCommand(place: KeptPlace, form: UrlForm): string {
  const env: [string, string][] = [];
  if (place.kind === "postgres") env.push(["DATABASE_URL", urlIn(form, place.database)]);
  env.push(
    ["FLIGHTDECK_DATA_DIR", place.dataDir],
    ["FLIGHTDECK_AUDIT_ANCHOR_DIR", `${place.dataDir}/anchors`],
    ["FLIGHTDECK_AUDIT_LOG_ORIGIN", PROOF_LOG_ORIGIN],
    ["FLIGHTDECK_SEED_DEMO", "false"],
    ["FLIGHTDECK_EMBEDDED_RUNTIME", "false"],
    ["PORT", String(place.port)],
  );
  return `${env.map(([k, v]) => `${k}=${shellWord(v)}`).join(" ")} npm start`;
}

/** Removes the kept database (on Postgres from the server's own database, which the proof never touches) and its directory. */
export function dropCommand(place: KeptPlace, form: UrlForm): string {
  const rm = `rm -rf ${shellWord(place.dataDir)}`;
  if (place.kind === "pglite") return rm;
  if (!place.database) throw new Error("a kept Postgres database has a name");
  return `psql ${shellWord(urlIn(form, null))} -c ${shellWord(`drop database "${place.database}" with (force)`)} && ${rm}`;
}
