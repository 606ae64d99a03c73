import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";

export const metadata: Metadata = { title: "Forbidden" };

// Shown inside the shell, with status 403, when a cockpit page calls forbidden() (components/shell/authorize-page.ts).
export default function CockpitForbidden() {
  return <Forbidden />;
}
