import type { Metadata } from "next";
import { ProofHistory } from "@/components/proof/proof-history";
import { ProofRunner } from "@/components/proof/proof-runner";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { principalRole, roleAllows } from "@/lib/auth";
import { listProofRuns } from "@/lib/proof-runs";

export const metadata: Metadata = { title: "Proof" };
export const dynamic = "force-dynamic";

/** The three tests, run here or from a terminal (`npm run proof`), with every report kept. */
export default async function ProofPage() {
  const principal = await authorizePage("proof.read");
  const canRun = roleAllows(principalRole(principal), "proof.run");
  const runs = listProofRuns();
  const running = runs.find((r) => r.status === "running") ?? null;

  return (
    <>
      <PageHeader
        title="Proof"
        className="mb-4"
        description="The three tests an agent runtime should pass with artifacts anyone can inspect: a scheduler under contention, a workspace-isolation demonstration and an audit-trail query — through the real runtime, gateway and audit log, on scratch databases (this deployment's data is never touched), with a scripted model. Each report states its thresholds and marks every claim pass or fail."
      />
      <div className="flex flex-col gap-6">
        <ProofRunner canRun={canRun} runningId={running?.id ?? null} />
        <section aria-labelledby="proof-history-heading" className="flex flex-col gap-2">
          <h2 id="proof-history-heading" className="text-sm font-semibold">
            Reports
          </h2>
          <ProofHistory runs={runs} />
        </section>
      </div>
    </>
  );
}
