import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";
import { getDb } from "@/db/client";
import { jobExists } from "@/lib/jobs";

type Props = { children: ReactNode; params: Promise<{ id: string }> };

// Outside the job page's loading boundary: an unknown job id answers 404 before the page streams a 200.
export default async function JobLayout({ children, params }: Props) {
  // Authorized first, so a caller without jobs.read learns nothing about which ids exist.
  await authorizePage("jobs.read");
  const { id } = await params;
  if (!(await jobExists(await getDb(), id))) notFound();
  return children;
}
