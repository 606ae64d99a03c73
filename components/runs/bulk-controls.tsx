"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { controlRuns } from "@/lib/actions";
import { allowedControls, type ControlledRun, type RunControl } from "@/lib/run-controls";
import { controlLabels } from "./run-controls";
import { shortId } from "./run-status-line";

type Refusal = { id: string; message: string };

const bulkControls: readonly RunControl[] = ["pause", "resume", "retry", "cancel"];

type Props = {
  /** The selected runs, as far as this view knows their state (the server decides). */
  chosen: readonly (ControlledRun & { id: string })[];
  /** Shown while nothing is selected. */
  hint: ReactNode;
  /** Called after the server answered: clear the selection, refresh the view. */
  onDone: (outcome: { applied: number; refused: number }) => void;
  /** More buttons for the bar (e.g. "Clear selection"). */
  children?: ReactNode;
};

/**
 * Pause, resume, retry or cancel many runs at once (the `controlRuns` action, one
 * transaction per run): each button counts the selected runs it applies to now, and
 * whatever the server refused is listed by run with its reason until dismissed.
 */
export function BulkControls({ chosen, hint, onDone, children }: Props) {
  const [busy, setBusy] = useState<RunControl | null>(null);
  const [refusals, setRefusals] = useState<{ control: RunControl; items: Refusal[] } | null>(null);

  async function bulk(control: RunControl) {
    if (
      control === "cancel" &&
      !window.confirm(`Cancel ${chosen.length} run(s)? A cancelled run can only be retried as a new run.`)
    )
      return;
    setBusy(control);
    const result = await controlRuns({ runIds: chosen.map((r) => r.id), control }).catch(() => null);
    setBusy(null);
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`${controlLabels[control].label} refused: ${result.error.message}`);
    const { applied, refused } = result.data;
    const verb = controlLabels[control].done.toLowerCase();
    if (refused.length === 0) toast.success(`${applied.length} run${applied.length === 1 ? "" : "s"} ${verb}`);
    else toast.warning(`${applied.length} ${verb}, ${refused.length} refused — the reasons are listed`);
    setRefusals(refused.length > 0 ? { control, items: refused } : null);
    onDone({ applied: applied.length, refused: refused.length });
  }

  return (
    <>
      <div role="toolbar" aria-label="Bulk controls" className="flex min-h-8 flex-wrap items-center gap-2 text-xs">
        <span className="text-muted" aria-live="polite">
          {chosen.length === 0 ? hint : `${chosen.length} selected`}
        </span>
        {chosen.length > 0
          ? bulkControls.map((control) => {
              const eligible = chosen.filter((r) => allowedControls(r).includes(control)).length;
              return (
                <Button
                  key={control}
                  size="sm"
                  variant={control === "cancel" ? "danger" : "secondary"}
                  loading={busy === control}
                  disabled={busy !== null}
                  onClick={() => void bulk(control)}
                  title={`${eligible} of ${chosen.length} selected can be ${controlLabels[control].done.toLowerCase()} now`}
                >
                  {controlLabels[control].label} ({eligible})
                </Button>
              );
            })
          : null}
        {children}
      </div>
      {refusals ? (
        <div role="alert" className="rounded-lg border border-warning/40 bg-warning-soft/40 p-3 text-[13px]">
          <p className="font-medium">
            {controlLabels[refusals.control].label} refused for {refusals.items.length} run
            {refusals.items.length === 1 ? "" : "s"}:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {refusals.items.map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${r.id}`} className="font-mono text-xs underline">
                  {shortId(r.id)}
                </Link>{" "}
                — {r.message}
              </li>
            ))}
          </ul>
          <Button size="sm" variant="ghost" className="mt-1" onClick={() => setRefusals(null)}>
            Dismiss
          </Button>
        </div>
      ) : null}
    </>
  );
}
