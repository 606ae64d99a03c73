import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";

// Outside the loading boundaries below (jobs/(list), jobs/[id]): a role without the permission gets its 403
// before a page streams a 200.
export default async function JobsLayout({ children }: { children: ReactNode }) {
  await authorizePage("jobs.read");
  return children;
}
