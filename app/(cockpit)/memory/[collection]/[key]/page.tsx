import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HistoryTimeline } from "@/components/memory/history-timeline";
import { LocksTable } from "@/components/memory/locks-table";
import { JsonBlock } from "@/components/runs/json-block";
import { authorizePage } from "@/components/shell/authorize-page";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { principalRole, roleAllows } from "@/lib/auth";
import { entityPage, getCollection, listLocks, parseEntity } from "@/lib/memory";

type Props = { params: Promise<{ collection: string; key: string }> };

function entityOf(collection: string, key: string) {
  try {
    return parseEntity(`${decodeURIComponent(collection)}/${decodeURIComponent(key)}`);
  } catch {
    return undefined;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { collection, key } = await params;
  const ref = entityOf(collection, key);
  return { title: ref ? `${ref.collection}/${ref.key}` : "Memory" };
}

/** One entity: its value, its locks, and its history answering who changed it, when, under whose authority. */
export default async function EntityPageView({ params }: Props) {
  const principal = await authorizePage("memory.read");
  const { collection, key } = await params;
  const ref = entityOf(collection, key);
  if (!ref || !getCollection(ref.collection)) notFound();
  const db = await getDb();
  const name = `${ref.collection}/${ref.key}`;
  const [page, locks] = await Promise.all([entityPage(db, ref), listLocks(db, { entity: name })]);
  if (!page && locks.length === 0) notFound();
  const canRevert = roleAllows(principalRole(principal), "memory.revert");

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            <code className="font-mono">{name}</code>
            {page ? <Badge tone="neutral">v{page.version}</Badge> : null}
            {page && !page.exists ? <Badge tone="warning">deleted</Badge> : null}
          </span>
        }
        description={getCollection(ref.collection)?.description}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <section className="flex min-w-0 flex-col gap-2" aria-label="History">
          <h2 className="text-sm font-medium">Who changed it, when, under whose authority</h2>
          <HistoryTimeline history={page?.history ?? []} canRevert={canRevert} />
        </section>
        <aside className="flex flex-col gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Current value</CardTitle>
            </CardHeader>
            <CardContent>
              {page?.exists ? (
                <JsonBlock value={page.value} label="Current value" />
              ) : (
                <p className="text-[13px] text-muted">No value.</p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Locks</CardTitle>
            </CardHeader>
            <CardContent>
              <LocksTable locks={locks} />
            </CardContent>
          </Card>
        </aside>
      </div>
    </>
  );
}
