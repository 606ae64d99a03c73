"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { startProof } from "@/lib/actions";
import type { ProofMode, ProofRunDetail } from "@/lib/proof-runs";

async function fetchRun(id: string): Promise<ProofRunDetail> {
  const response = await fetch(`/api/proof/runs/${encodeURIComponent(id)}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET /api/proof/runs/${id} answered ${response.status}`);
  return (await response.json()) as ProofRunDetail;
}

const modes: { value: ProofMode; label: string; hint: string }[] = [
  { value: "smoke", label: "Smoke", hint: "reduced sizes, about a minute" },
  { value: "full", label: "Full", hint: "the report's sizes, up to 5 minutes on 2 cores" },
];

/**
 * "Run the proof" (admins) and the live progress of the run in flight (everyone who may
 * read the page): the process's own lines, polled every second while it runs.
 */
export function ProofRunner({ canRun, runningId }: { canRun: boolean; runningId: string | null }) {
  const router = useRouter();
  const [mode, setMode] = useState<ProofMode>("smoke");
  const [starting, setStarting] = useState(false);
  const [followId, setFollowId] = useState<string | null>(runningId);
  const log = useRef<HTMLPreElement>(null);
  const run = useQuery({
    queryKey: ["proof", "run", followId],
    queryFn: () => fetchRun(followId ?? ""),
    enabled: followId !== null,
    refetchInterval: (query) => (query.state.data?.status === "running" || !query.state.data ? 1_000 : false),
    staleTime: 500,
  });
  const detail = run.data;
  const finished = detail && detail.status !== "running";

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [detail?.progress.length]);
  useEffect(() => {
    if (!finished || !detail) return;
    if (detail.status === "passed") toast.success("The proof finished: all three tests pass");
    else if (detail.status === "failed") toast.warning("The proof finished: a test fails — see its report");
    else toast.error("The proof did not finish — its last lines say why");
    router.refresh();
  }, [finished, detail, router]);

  async function start() {
    setStarting(true);
    const result = await startProof({ mode }).catch(() => null);
    setStarting(false);
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`Could not start the proof: ${result.error.message}`);
    setFollowId(result.data.id);
    router.refresh();
  }

  const busy = starting || detail?.status === "running";
  return (
    <section aria-labelledby="proof-run-heading" className="flex flex-col gap-3 rounded-xl border border-border p-4">
      <h2 id="proof-run-heading" className="text-sm font-semibold">
        Run the proof
      </h2>
      {canRun ? (
        <div className="flex flex-wrap items-center gap-3">
          <fieldset className="flex items-center gap-3 text-sm" disabled={busy}>
            <legend className="sr-only">Sizes</legend>
            {modes.map((m) => (
              <label key={m.value} className="flex items-center gap-1.5">
                <input
                  type="radio"
                  name="proof-mode"
                  value={m.value}
                  checked={mode === m.value}
                  onChange={() => setMode(m.value)}
                  className="accent-[var(--color-accent)]"
                />
                {m.label} <span className="text-xs text-muted">({m.hint})</span>
              </label>
            ))}
          </fieldset>
          <Button onClick={() => void start()} loading={starting} disabled={busy}>
            Run the proof
          </Button>
        </div>
      ) : (
        <p className="text-sm text-muted">
          Admins can run the proof from here; anyone can run it from a terminal with <code>npm run proof</code>.
        </p>
      )}
      {detail ? (
        <div className="flex flex-col gap-1.5">
          <p role="status" className="text-sm">
            {detail.status === "running"
              ? `Running (${detail.mode}), started by ${detail.startedBy}…`
              : detail.status === "passed"
                ? "Finished: all three tests pass."
                : detail.status === "failed"
                  ? "Finished: at least one test fails — the report says which claim and by how much."
                  : "Ended without a report."}
          </p>
          <pre
            ref={log}
            aria-label="Proof progress"
            tabIndex={0}
            className="max-h-72 overflow-auto rounded-lg bg-surface-muted p-3 font-mono text-xs leading-5"
          >
            {detail.progress.join("\n") || "Starting…"}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
