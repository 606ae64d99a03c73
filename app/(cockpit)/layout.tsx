import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DemoUsersBanner } from "@/components/auth/demo-users-banner";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { LiveEventsProvider } from "@/components/live/live-events";
import { Header } from "@/components/shell/header";
import { primaryNav, settingsNav } from "@/components/shell/nav-items";
import { Sidebar } from "@/components/shell/sidebar";
import { CommandPalette } from "@/components/search/command-palette";
import { currentPrincipal } from "@/lib/auth";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";

/**
 * The cockpit shell. Only people (and tokens) with a role get it; everyone else signs in
 * first. Navigation shows what the role may open; each page still authorizes itself,
 * since layouts and pages render independently.
 */
export default async function CockpitLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  const role = principalRole(principal);
  if (role === null || (principal.kind !== "user" && principal.kind !== "token")) redirect("/login");

  const allowedHrefs = [...primaryNav, ...settingsNav]
    .filter((item) => roleAllows(role, item.permission))
    .map((item) => item.href);

  return (
    // One live stream (GET /api/events) per tab for every cockpit page.
    <LiveEventsProvider>
      <div className="flex min-h-dvh">
        <a
          href="#main"
          className="sr-only rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
        >
          Skip to content
        </a>
        <Sidebar allowedHrefs={allowedHrefs} />
        <div className="flex min-w-0 flex-1 flex-col">
          <DemoUsersBanner />
          <Header
            userLabel={principal.label}
            role={role}
            // A bearer token has no session to end.
            signOut={principal.kind === "user" ? <SignOutButton /> : undefined}
            search={roleAllows(role, "runs.read") ? <CommandPalette allowedHrefs={allowedHrefs} /> : undefined}
          />
          <main id="main" tabIndex={-1} className="flex-1 px-6 py-6 outline-none lg:px-8">
            {children}
          </main>
        </div>
      </div>
    </LiveEventsProvider>
  );
}
