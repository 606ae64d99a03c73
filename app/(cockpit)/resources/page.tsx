import type { Metadata } from "next";
import { ResourcesBoard } from "@/components/resources/resources-board";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { endpointUsage } from "@/lib/board";
import { listJobs } from "@/lib/jobs";

export const metadata: Metadata = { title: "Resources" };

export default async function ResourcesPage() {
  const access = await authorizePage("resources.read");
  if (!access.allowed) return <Forbidden title="Resources" permission="resources.read" />;
  const db = await getDb();
  const [usage, jobs] = await Promise.all([endpointUsage(db), listJobs(db, { includeRemoved: true })]);

  return (
    <>
      <PageHeader
        title="Resources"
        description="Shared capacity that runs contend for, and how the runtime is arbitrating it right now. A run holds a model slot only for the length of one turn."
      />
      <ResourcesBoard initial={usage} jobTitles={Object.fromEntries(jobs.map((j) => [j.id, j.title]))} />
    </>
  );
}
