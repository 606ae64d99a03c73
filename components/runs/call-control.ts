"use client";

import { cancelRun, pauseRun, resumeRun, retryRun } from "@/lib/actions";
import type { ActionResult } from "@/lib/actions";
import type { ControlResult } from "@/lib/runtime";
import type { RunControl } from "./run-controls";

/**
 * The runtime's server actions (they authorize and audit); a network failure becomes an
 * error result like any refusal, so the caller has one path for rolling back.
 */
export async function callControl(control: RunControl, runId: string): Promise<ActionResult<ControlResult>> {
  try {
    switch (control) {
      case "pause":
        return await pauseRun({ runId });
      case "resume":
        return await resumeRun({ runId });
      case "cancel":
        return await cancelRun({ runId });
      case "retry":
        return await retryRun({ runId });
    }
  } catch {
    return { ok: false, error: { code: "internal", message: "The server could not be reached" } };
  }
}
