import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const access = await authorizePage("audit.read");
  if (!access.allowed) return <Forbidden title="Audit" permission="audit.read" />;

  return (
    <>
      <PageHeader
        title="Audit"
        description="The tamper-evident record of who did what, under which authorization. Append-only, sealed into a Merkle log with signed checkpoints."
      />
      <EmptyState
        icon={ScrollText}
        title="The audit explorer is not available yet"
        description={
          <>
            Every sign-in, user, role and token change, registry change, run transition, turn and tool call is
            already recorded and sealed into a Merkle log with signed checkpoints, but the log cannot be browsed here
            yet. Each run&apos;s own events are on its page (Audit tab); the whole log is queryable with{" "}
            <code className="font-mono text-xs">GET /api/audit</code>, checkpoints and proofs are served under{" "}
            <code className="font-mono text-xs">/api/audit/checkpoint</code> and{" "}
            <code className="font-mono text-xs">/api/audit/proof/…</code>, and its integrity is checked by{" "}
            <code className="font-mono text-xs">npm run audit:verify</code> or{" "}
            <code className="font-mono text-xs">GET /api/audit/verify</code>.
          </>
        }
      />
    </>
  );
}
