import type { Metadata } from "next";
import Link from "next/link";
import { authorizePage } from "@/components/shell/authorize-page";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { collectionsOverview, getCollection, listEntities } from "@/lib/memory";

export const metadata: Metadata = { title: "Memory" };

type Props = { searchParams: Promise<{ collection?: string | string[]; after?: string | string[] }> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Shared memory: the declared collections, and the entities of the one picked. */
export default async function MemoryPage({ searchParams }: Props) {
  await authorizePage("memory.read");
  const db = await getDb();
  const query = await searchParams;
  const picked = one(query.collection);
  const collection = picked && getCollection(picked) ? picked : undefined;
  const after = one(query.after);
  const [collections, page] = await Promise.all([
    collectionsOverview(db),
    collection ? listEntities(db, collection, { limit: 100, ...(after ? { after } : {}) }) : Promise.resolve(null),
  ]);

  return (
    <>
      <PageHeader
        title="Memory"
        description="Entities shared by every run, in the collections the domain packs declare. Every write is recorded with the run, turn, tool call and authority behind it, and a run's writes can be undone."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <Card>
          <CardHeader>
            <CardTitle>Collections</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="flex flex-col gap-2 text-[13px]">
              {collections.map((c) => (
                <li key={c.name}>
                  <Link
                    href={`/memory?collection=${encodeURIComponent(c.name)}`}
                    className="font-mono text-accent-text underline-offset-2 hover:underline"
                    aria-current={c.name === collection ? "page" : undefined}
                  >
                    {c.name}
                  </Link>{" "}
                  <span className="text-muted">
                    · {c.entities} entit{c.entities === 1 ? "y" : "ies"}
                  </span>
                  <span className="block text-xs text-muted">{c.description}</span>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
        <section aria-label="Entities" className="flex flex-col gap-2">
          {!collection || !page ? (
            <p className="text-[13px] text-muted">Pick a collection to see its entities.</p>
          ) : page.entities.length === 0 ? (
            <p className="text-[13px] text-muted">No entities in {collection} yet.</p>
          ) : (
            <>
              <Table aria-label={`Entities of ${collection}`}>
                <TableHeader>
                  <TableRow>
                    <TableHead>Entity</TableHead>
                    <TableHead>Version</TableHead>
                    <TableHead>Last write</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.entities.map((e) => (
                    <TableRow key={e.key}>
                      <TableCell>
                        <Link
                          className="font-mono text-xs text-accent-text underline-offset-2 hover:underline"
                          href={`/memory/${collection}/${encodeURIComponent(e.key)}`}
                        >
                          {collection}/{e.key}
                        </Link>
                      </TableCell>
                      <TableCell className="tabular-nums">{e.version}</TableCell>
                      <TableCell className="text-xs text-muted">
                        {e.updatedAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {page.more ? (
                <Link
                  className="text-[13px] text-accent-text underline-offset-2 hover:underline"
                  href={`/memory?collection=${encodeURIComponent(collection)}&after=${encodeURIComponent(page.entities.at(-1)?.key ?? "")}`}
                >
                  Next page
                </Link>
              ) : null}
            </>
          )}
        </section>
      </div>
    </>
  );
}
