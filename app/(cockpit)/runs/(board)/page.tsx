import type { Metadata } from "next";
import { RunsBoard } from "@/components/runs/runs-board";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { boardSnapshot } from "@/lib/board";

export const metadata: Metadata = { title: "Runs" };

/** Filters live in the URL (?job, owner, risk, state); the client board reads them itself. */
export default async function RunsPage() {
  const principal = await authorizePage("runs.read");
  const canControl = roleAllows(principalRole(principal), "runs.control");
  const snapshot = await boardSnapshot(await getDb());

  return (
    <>
      <PageHeader
        title="Runs"
        className="mb-4"
        description={
          canControl
            ? "Every run from queued to done, live. Drag a card to pause, resume, retry or cancel — or press ? for keyboard shortcuts."
            : "Every run from queued to done, live. Your role can watch the board; controls are for operators, leads and admins."
        }
      />
      <RunsBoard initial={snapshot} canControl={canControl} />
    </>
  );
}
