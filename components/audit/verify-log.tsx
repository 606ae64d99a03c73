"use client";

import { ShieldCheck } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { fetchJson } from "./fetch-json";

interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
  treeSize: number;
  anchorsChecked: number;
  unsealed: number;
  badUnsealedIds: number[];
}

/**
 * "Is the log intact": runs the server's full verification (GET /api/audit/verify: every
 * MAC, leaf and root, checkpoint signatures, anchors). The server answers once, at the end,
 * so progress is the elapsed time against the size of the signed log being checked.
 */
export function VerifyLog({ treeSize }: { treeSize: number | null }) {
  const [state, setState] = useState<{
    running: boolean;
    started: number;
    tookMs: number;
    result: VerifyResult | null;
    error: string | null;
  }>({
    running: false,
    started: 0,
    tookMs: 0,
    result: null,
    error: null,
  });
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!state.running) return;
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [state.running]);

  async function run() {
    const started = Date.now();
    setNow(started);
    setState({ running: true, started, tookMs: 0, result: null, error: null });
    try {
      const result = await fetchJson<VerifyResult>("/api/audit/verify");
      setState({ running: false, started, tookMs: Date.now() - started, result, error: null });
    } catch (error) {
      setState({
        running: false,
        started,
        tookMs: Date.now() - started,
        result: null,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const r = state.result;
  return (
    <div className="flex flex-col gap-2">
      <Button size="sm" variant="secondary" onClick={() => void run()} disabled={state.running}>
        <ShieldCheck aria-hidden />
        Verify log
      </Button>
      <div role="status" aria-live="polite" className="text-xs">
        {state.running ? (
          <span className="flex items-center gap-2 text-muted">
            <Spinner label="Verifying" /> Checking{" "}
            {treeSize !== null ? `${treeSize.toLocaleString()} sealed events` : "the log"} — every MAC, leaf, root and
            signature… {((now - state.started) / 1000).toFixed(1)} s
          </span>
        ) : r ? (
          r.ok ? (
            <p className="text-success-text" data-testid="verify-result">
              The log is intact: {r.checked.toLocaleString()} events checked against the signed checkpoint of{" "}
              {r.treeSize.toLocaleString()} events
              {r.anchorsChecked > 0 ? `, consistent with ${r.anchorsChecked} anchored checkpoints` : ""}
              {r.unsealed > 0 ? `; ${r.unsealed} newer events wait for the sealer` : ""}. (
              {(state.tookMs / 1000).toFixed(1)} s)
            </p>
          ) : (
            <p className="text-danger-text" data-testid="verify-result">
              The log is NOT intact
              {r.firstBadSeq !== null ? `: first bad event is #${r.firstBadSeq} (${r.problem})` : ""}
              {r.badUnsealedIds.length > 0
                ? `; unsealed events with a bad MAC: ${r.badUnsealedIds.join(", ")}`
                : ""}. {r.checked.toLocaleString()} events were intact before it.
            </p>
          )
        ) : state.error ? (
          <p className="text-danger-text">Verification failed to run: {state.error}</p>
        ) : null}
      </div>
    </div>
  );
}
