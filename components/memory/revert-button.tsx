"use client";

import { Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revertWrites } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import type { RevertPlan } from "@/lib/memory";
import { describeChange, shortRun } from "./describe-change";

const statusText: Record<string, string> = {
  revert: "will be restored",
  forced: "will be restored (forced over a later change)",
  conflict: "changed later by someone else — left alone unless you force it",
  unchanged: "nothing to do",
};

/**
 * Undo a run's shared-memory writes: opens with a preview (a dry run on the server) showing
 * exactly what each entity goes back to; conflicts are listed and only overwritten when
 * ticked. Applying writes compensating versions attributed to you.
 */
export function RevertButton({ runId, label = "Undo this run's writes" }: { runId: string; label?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [plan, setPlan] = useState<RevertPlan | null>(null);
  const [force, setForce] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();

  async function preview(forced: Set<string>) {
    setBusy(true);
    const result = await revertWrites({ runId, dryRun: true, force: [...forced] }).catch(() => null);
    setBusy(false);
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`Preview refused: ${result.error.message}`);
    setPlan(result.data);
  }

  async function apply() {
    setBusy(true);
    const result = await revertWrites({ runId, dryRun: false, force: [...force] }).catch(() => null);
    setBusy(false);
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`Revert refused: ${result.error.message}`);
    toast.success(`Reverted ${result.data.reverted} write(s) of run ${shortRun(runId)}`);
    setOpen(false);
    startTransition(() => router.refresh());
  }

  function toggle(entity: string, on: boolean) {
    const next = new Set(force);
    if (on) next.add(entity);
    else next.delete(entity);
    setForce(next);
    void preview(next);
  }

  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        onClick={() => {
          setOpen(true);
          setForce(new Set());
          void preview(new Set());
        }}
      >
        <Undo2 aria-hidden className="size-3.5" />
        {label}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-w-2xl">
          <DialogHeader>
            <DialogTitle>Undo the shared-memory writes of run {shortRun(runId)}</DialogTitle>
            <DialogDescription>
              Each entity goes back to the value it had before this run wrote it. This is a new write in its history,
              attributed to you; nothing is erased.
            </DialogDescription>
          </DialogHeader>
          {plan === null ? (
            <p className="text-[13px] text-muted">Loading the preview…</p>
          ) : plan.changes.length === 0 ? (
            <p className="text-[13px] text-muted">This run wrote nothing to shared memory.</p>
          ) : (
            <ul className="flex max-h-96 flex-col gap-2 overflow-y-auto text-[13px]" aria-label="Revert preview">
              {plan.changes.map((c) => (
                <li key={c.entity} className="rounded-md border border-border p-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <code className="font-mono text-xs">{c.entity}</code>
                    <span className={c.status === "conflict" ? "text-warning-text" : "text-muted"}>
                      {statusText[c.status]}
                    </span>
                  </div>
                  {c.status === "revert" || c.status === "forced" ? (
                    <p className="mt-1 text-xs text-muted">
                      v{c.currentVersion} → {describeChange(c.current, c.restore).join(", ")}
                    </p>
                  ) : null}
                  {c.changedAfter.length > 0 ? (
                    <p className="mt-1 text-xs text-muted">
                      Later: {c.changedAfter.map((l) => `v${l.version} by ${l.actor}`).join("; ")}
                    </p>
                  ) : null}
                  {c.status === "conflict" || c.status === "forced" ? (
                    <div className="mt-1 text-xs">
                      <Checkbox
                        checked={force.has(c.entity)}
                        onCheckedChange={(v) => toggle(c.entity, v === true)}
                        label="Overwrite the later change anyway"
                      />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <DialogFooter>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={busy}
              disabled={busy || !plan || plan.reverted === 0}
              onClick={() => void apply()}
            >
              Revert {plan?.reverted ?? 0} write(s)
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
