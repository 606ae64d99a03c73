import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { getDb } from "@/db/client";
import { latestCheckpoint, listSavedQueries } from "@/lib/audit";
import { principalRole, roleAllows } from "@/lib/auth";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const principal = await authorizePage("audit.read");
  const role = principalRole(principal);
  const db = await getDb();
  const [saved, head] = await Promise.all([listSavedQueries(db, principal), latestCheckpoint(db)]);

  return (
    <>
      <PageHeader
        title="Audit"
        description="The tamper-evident record of who did what, under which authorization: sealed into a Merkle log with signed checkpoints. Open an event to check its proof in your browser."
      />
      <Suspense fallback={<Spinner label="Loading the explorer" />}>
        <AuditExplorer
          savedQueries={saved.map((s) => ({ id: s.id, name: s.name, query: s.query }))}
          canVerify={roleAllows(role, "audit.verify")}
          canExport={roleAllows(role, "audit.export")}
          treeSize={head?.treeSize ?? null}
        />
      </Suspense>
    </>
  );
}
