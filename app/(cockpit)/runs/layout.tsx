import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";

// Outside the loading boundaries below (runs/(board), runs/[id]): a role without the permission gets its 403
// before a page streams a 200.
export default async function RunsLayout({ children }: { children: ReactNode }) {
  await authorizePage("runs.read");
  return children;
}
