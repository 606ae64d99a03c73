import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";

// Outside this segment's loading boundary: a role without resources.read gets its 403 before the page streams a 200.
export default async function ResourcesLayout({ children }: { children: ReactNode }) {
  await authorizePage("resources.read");
  return children;
}
