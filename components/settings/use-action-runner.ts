"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions";

/**
 * Runs a server action with a pending flag, reports the outcome as a toast and refreshes
 * the server-rendered list on success. Field-level errors are left to the caller.
 */
export function useActionRunner() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function run<T>(
    action: () => Promise<ActionResult<T>>,
    options: {
      success: string;
      onOk?: (data: T) => void;
      onError?: (result: Extract<ActionResult<T>, { ok: false }>) => void;
    },
  ) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        if (options.success) toast.success(options.success);
        options.onOk?.(result.data);
        router.refresh();
        return;
      }
      if (options.onError) options.onError(result);
      else toast.error(result.error.message);
    });
  }

  return { pending, run };
}

/** zod issues from an action's bad_request, keyed by the first path segment. */
export function fieldErrors(issues: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown[]; message?: string }[]) {
    const key = issue.path?.[0];
    if (typeof key === "string" && issue.message && !out[key]) out[key] = issue.message;
  }
  return out;
}
