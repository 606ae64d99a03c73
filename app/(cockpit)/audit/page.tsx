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
        description="The tamper-evident record of who did what, under which authorization. Append-only and hash-chained."
      />
      <EmptyState
        icon={ScrollText}
        title="The audit explorer is not available yet"
        description={
          <>
            Sign-ins, user and role changes and API token changes are already recorded as hash-chained events, but
            they cannot be browsed here yet. The chain&apos;s integrity can be checked now with{" "}
            <code className="font-mono text-xs">npm run audit:verify</code> or{" "}
            <code className="font-mono text-xs">GET /api/audit/verify</code>.
          </>
        }
      />
    </>
  );
}
