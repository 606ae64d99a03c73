import type { ReactNode } from "react";
import { authorizePage } from "@/components/shell/authorize-page";

// Outside this segment's loading boundary: a role without audit.read gets its 403 before the page streams a 200.
export default async function AuditLayout({ children }: { children: ReactNode }) {
  await authorizePage("audit.read");
  return children;
}
