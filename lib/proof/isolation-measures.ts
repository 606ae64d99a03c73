import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { attackCatalogue, type Attack, type AttackKind } from "./attacks";
import { countCanaries, type Canaries } from "./canaries";
import { auditLink, claim, type Claim } from "./claims";
import { checkInclusion, type InclusionCheck } from "./inclusion";
import { LOCKED_ENTITY } from "./pack";
import type { IsolationRecord } from "./scenario-isolation";

/** What the product did with one attempt, read back from tool_calls, the audit log and flashcards. */
export interface AttackResult {
  runId: string;
  attackId: string;
  kind: AttackKind;
  attempt: string;
  tool: string;
  callKey: string;
  /** tool_calls.status (null: no row was written). */
  status: string | null;
  error: string | null;
  outcome: "refused" | "contained" | "not contained";
  /** Why the outcome is what it is, from the evidence. */
  why: string;
  audit: { seq: number | null; action: string; proof: InclusionCheck | null } | null;
  flashcard: { id: string; title: string; count: number } | null;
}

interface CallRow {
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
}

async function callRow(db: Db, key: string): Promise<CallRow | undefined> {
  const [row] = rowsOf<CallRow>(
    await db.execute(sql`select status, input, output, error from tool_calls where key = ${key}`),
  );
  return row;
}

async function scalar(db: Db, query: ReturnType<typeof sql>): Promise<unknown> {
  const [row] = rowsOf<{ v: unknown }>(await db.execute(query));
  return row?.v;
}

type Verdict = Pick<AttackResult, "outcome" | "why">;

/** Attack-specific containment: a call the gateway let through must still not reach across runs or leak. */
async function containment(
  db: Db,
  attack: Attack,
  runId: string,
  row: CallRow,
  record: IsolationRecord,
  canaries: Canaries,
): Promise<Verdict> {
  const text = JSON.stringify({ input: row.input, output: row.output, error: row.error });
  if (text.includes(record.marker))
    return { outcome: "not contained", why: "the call's result carries the victim run's data" };
  switch (attack.id) {
    case "memory-unlocked": {
      const written = await scalar(
        db,
        sql`select count(*) as v from memory_history where collection || '/' || key = ${LOCKED_ENTITY} and run_id = ${runId}`,
      );
      return Number(written) > 0
        ? {
            outcome: "not contained",
            why: `written while the victim run held the exclusive lock on ${LOCKED_ENTITY}: memory_write does not check locks`,
          }
        : { outcome: "contained", why: "nothing written" };
    }
    case "other-state-write": {
      const value = await scalar(
        db,
        sql`select value #>> '{}' as v from run_state where run_id = ${record.victimRunId} and key = 'ledger'`,
      );
      return value === record.marker
        ? { outcome: "contained", why: "written to its own state namespace; the victim's key is unchanged" }
        : { outcome: "not contained", why: "the victim's state changed" };
    }
    case "symlink-plant":
      return {
        outcome: "contained",
        why: "a plain file in its own workspace: workspaces are rows keyed by run, nothing is a link or resolved by the OS",
      };
    case "exfil-file":
    case "exfil-state":
    case "exfil-memory":
    case "exfil-notify":
    case "exfil-url": {
      const hits = countCanaries(text + (await artefactOf(db, attack.id, runId)), canaries);
      return hits === 0
        ? { outcome: "contained", why: "the call and what it wrote are stored with every secret redacted" }
        : { outcome: "not contained", why: `${hits} secret(s) stored in clear in the call's record or what it wrote` };
    }
    default:
      // Reads the gateway let through: they may only see the run's own workspace or state.
      if (attack.tool === "read_file" || attack.tool === "list_files" || attack.tool === "state_get")
        return {
          outcome: "contained",
          why: `${row.status === "succeeded" ? "answered" : "failed"} from its own workspace or state only${row.error ? ` (${row.error.slice(0, 120)})` : ""}`,
        };
      return { outcome: "not contained", why: `the gateway let it through (${row.status})` };
  }
}

/** What an exfiltration call left behind, as stored: the file's bytes, the state value, the entity, the notification. */
async function artefactOf(db: Db, attackId: string, runId: string): Promise<string> {
  const query =
    attackId === "exfil-file"
      ? sql`select string_agg(convert_from(b.content, 'UTF8'), '') as v from workspace_files f
          join workspace_blobs b on b.sha256 = f.sha256 where f.run_id = ${runId} and f.path = 'loot.txt'`
      : attackId === "exfil-state"
        ? sql`select string_agg(value::text, '') as v from run_state where run_id = ${runId} and key = 'loot'`
        : attackId === "exfil-memory"
          ? sql`select string_agg(coalesce(after::text, ''), '') as v from memory_history where run_id = ${runId}`
          : attackId === "exfil-notify"
            ? sql`select string_agg(n::text, '') as v from notifications n where n.run_id = ${runId}`
            : null;
  if (!query) return "";
  const value = await scalar(db, query);
  return typeof value === "string" ? value : "";
}

async function auditOf(
  db: Db,
  callKey: string,
  context: { note: string; key: string } | null,
): Promise<AttackResult["audit"]> {
  const events = rowsOf<{ seq: number | string | null; action: string }>(
    await db.execute(sql`select seq, action from audit_log where payload->>'callKey' = ${callKey} order by id`),
  );
  // The refusal's own event (workspace.escape_refused, tool.policy_violation…) says most; else tool.called.
  const event = events.find((e) => e.action !== "tool.called") ?? events[0];
  if (!event) return null;
  const seq = event.seq === null ? null : Number(event.seq);
  return {
    seq,
    action: event.action,
    proof: seq !== null && context ? await checkInclusion(db, seq, context) : null,
  };
}

async function flashcardOf(db: Db, jobId: string, tool: string, action: string | undefined) {
  if (!action || action === "tool.called") return null;
  const [row] = rowsOf<{ id: string; title: string; count: number }>(
    await db.execute(
      sql`select id, title, count from flashcards where fingerprint = ${`policy:${jobId}:${tool}:${action}`}`,
    ),
  );
  return row ?? null;
}

export async function measureIsolation(
  db: Db,
  record: IsolationRecord,
  options: {
    canaries: Canaries;
    loopbackPort: number;
    jobId: string;
    proofContext: { note: string; key: string } | null;
  },
): Promise<{ attacks: AttackResult[]; claims: Claim[] }> {
  const catalogue = attackCatalogue({
    victimRunId: record.victimRunId,
    canaries: options.canaries,
    loopbackPort: options.loopbackPort,
  });
  const attacks: AttackResult[] = [];
  for (const runId of record.hostileRunIds) {
    for (const [index, attack] of catalogue.entries()) {
      const callKey = `${runId}:0:${index}`;
      const row = await callRow(db, callKey);
      const audit = await auditOf(db, callKey, options.proofContext);
      const verdict: Verdict = !row
        ? { outcome: "not contained", why: "no record of the call" }
        : row.status === "refused"
          ? { outcome: "refused", why: row.error ?? "refused" }
          : await containment(db, attack, runId, row, record, options.canaries);
      attacks.push({
        runId,
        attackId: attack.id,
        kind: attack.kind,
        attempt: attack.attempt,
        tool: attack.tool,
        callKey,
        status: row?.status ?? null,
        error: row?.error ?? null,
        ...verdict,
        audit,
        flashcard: await flashcardOf(db, options.jobId, attack.tool, audit?.action),
      });
    }
  }
  attacks.push(await zombieResult(db, record, options.jobId, options.proofContext));

  const failed = attacks.filter((a) => a.outcome === "not contained");
  const unaudited = attacks.filter((a) => !a.audit?.proof?.ok);
  const refused = attacks.filter((a) => a.outcome === "refused");
  const withoutCard = refused.filter((a) => !a.flashcard);
  const claims: Claim[] = [
    claim({
      id: "isolation.attacks",
      test: "isolation",
      statement: `Every attempt of the catalogue (${catalogue.length} calls × ${record.hostileRunIds.length} concurrent hostile runs, plus a zombie write) was refused or contained`,
      threshold: "0 attempts not contained",
      measured:
        failed.length === 0
          ? `${attacks.length} of ${attacks.length} refused or contained`
          : `${failed.length} not contained: ${[...new Set(failed.map((a) => a.kind))].join("; ")}`,
      pass: failed.length === 0 && record.completed,
      evidence: `/runs/${record.hostileRunIds[0] ?? ""}`,
    }),
    claim({
      id: "isolation.audited",
      test: "isolation",
      statement: "Every attempt has a sealed audit event whose inclusion proof verifies against the signed checkpoint",
      threshold: "every attempt: an event with a verified inclusion proof",
      measured:
        unaudited.length === 0
          ? `${attacks.length} of ${attacks.length} verified`
          : `${attacks.length - unaudited.length} of ${attacks.length} verified; without: ${[...new Set(unaudited.map((a) => a.kind))].join("; ")}`,
      pass: unaudited.length === 0,
      evidence: auditLink(`run:${(record.hostileRunIds[0] ?? "").slice(0, 8)}`),
    }),
    claim({
      id: "isolation.flashcards",
      test: "isolation",
      statement:
        "Every refused attempt raised a policy flashcard for a lead, or counted again on the open card of its kind (cards are deduplicated per job, tool and kind of refusal)",
      threshold: "every refused attempt on a card",
      measured:
        withoutCard.length === 0
          ? `${refused.length} of ${refused.length} refused attempts`
          : `${refused.length - withoutCard.length} of ${refused.length}; the product raises none for: ${[...new Set(withoutCard.map((a) => a.kind))].join("; ")}`,
      pass: withoutCard.length === 0,
      evidence: "/flashcards",
    }),
  ];
  return { attacks, claims };
}

async function zombieResult(
  db: Db,
  record: IsolationRecord,
  jobId: string,
  proofContext: { note: string; key: string } | null,
): Promise<AttackResult> {
  const { zombie } = record;
  const row = await callRow(db, zombie.callKey);
  const file = await scalar(
    db,
    sql`select count(*) as v from workspace_files where run_id = ${zombie.runId} and path = 'zombie.txt'`,
  );
  const refused = zombie.threw !== null && !row && Number(file) === 0;
  const audit = await auditOf(db, zombie.callKey, proofContext);
  return {
    runId: zombie.runId,
    attackId: "zombie-write",
    kind: "write after losing its lease",
    attempt: "write_file with the lease token of an earlier turn (a zombie worker)",
    tool: "write_file",
    callKey: zombie.callKey,
    status: row?.status ?? null,
    error: zombie.threw ?? zombie.answered,
    outcome: refused ? "refused" : "not contained",
    why: refused
      ? `the lease fence refused it before anything was written (${zombie.threw ?? ""}); no tool_calls row, no file`
      : `not refused by the fence (${zombie.answered ?? "no answer"}; row ${row ? row.status : "none"}, files ${Number(file)})`,
    // The fenced call commits nothing; the gateway records the attempt afterwards (tool.lease_lost).
    audit,
    flashcard: await flashcardOf(db, jobId, "write_file", audit?.action),
  };
}
