import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";
import { getDb } from "@/db/client";
import { runExists } from "@/lib/runtime";

type Props = { children: ReactNode; params: Promise<{ id: string }> };

// Outside the run page's loading boundary: an unknown run id answers 404 before the page streams a 200.
export default async function RunLayout({ children, params }: Props) {
  // Authorized first, so a caller without runs.read learns nothing about which ids exist.
  await authorizePage("runs.read");
  const { id } = await params;
  if (!(await runExists(await getDb(), id))) notFound();
  return children;
}
