"use client";

import { Ban, Pause, Play, RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { cancelRun } from "@/lib/actions";
import { callControl } from "./call-control";
import { controlLabels, type RunControl } from "./run-controls";
import { shortId } from "./run-status-line";

const icons = { pause: Pause, resume: Play, cancel: Ban, retry: RotateCcw } as const;

/** The controls this viewer's role allows for this run's state; the server decides again. */
export function RunControlsBar({
  runId,
  controls,
  running,
}: {
  runId: string;
  controls: readonly RunControl[];
  running: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState<RunControl | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [hard, setHard] = useState(false);
  const [, startTransition] = useTransition();

  async function act(control: RunControl, options: { hard?: boolean } = {}) {
    setBusy(control);
    const result = options.hard
      ? await cancelRun({ runId, hard: true }).catch(() => null)
      : await callControl(control, runId);
    setBusy(null);
    if (!result) {
      toast.error("The server could not be reached");
      return;
    }
    if (!result.ok) {
      toast.error(`${controlLabels[control].label} refused: ${result.error.message}`);
      startTransition(() => router.refresh());
      return;
    }
    if (control === "retry") {
      toast.success(`Retry started as run ${shortId(result.data.id)}`);
      router.push(`/runs/${result.data.id}`);
      return;
    }
    toast.success(
      result.data.pending
        ? `${controlLabels[control].progressive} at the end of the current turn`
        : `Run ${controlLabels[control].done.toLowerCase()}`,
    );
    startTransition(() => router.refresh());
  }

  if (controls.length === 0) return null;
  return (
    <div role="group" aria-label="Run controls" className="flex items-center gap-2">
      {controls.map((control) => {
        const Icon = icons[control];
        return (
          <Button
            key={control}
            variant={control === "cancel" ? "danger" : "secondary"}
            loading={busy === control}
            disabled={busy !== null}
            onClick={() => (control === "cancel" ? setConfirmCancel(true) : void act(control))}
          >
            {busy === control ? null : <Icon aria-hidden />}
            {controlLabels[control].label}
          </Button>
        );
      })}
      <Dialog open={confirmCancel} onOpenChange={setConfirmCancel}>
        <DialogContent className="max-w-md">
          <DialogHeader>
            <DialogTitle>Cancel this run?</DialogTitle>
            <DialogDescription>
              {running
                ? "The run stops at the end of its current turn. A cancelled run can be retried as a new run."
                : "The run stops now. A cancelled run can be retried as a new run."}
            </DialogDescription>
          </DialogHeader>
          {running ? (
            <Checkbox
              checked={hard}
              onCheckedChange={(v) => setHard(v === true)}
              label="Stop the turn in flight now (hard cancel)"
            />
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Keep running</Button>
            </DialogClose>
            <Button
              variant="danger"
              onClick={() => {
                setConfirmCancel(false);
                void act("cancel", { hard: running && hard });
              }}
            >
              Cancel run
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
