import { PlaneTakeoff } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DemoUsersBanner } from "@/components/auth/demo-users-banner";
import { LoginForm } from "@/components/auth/login-form";
import { safeNext } from "@/components/auth/safe-next";
import { Card, CardContent } from "@/components/ui/card";
import { currentPrincipal } from "@/lib/auth";
import type { Principal } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

async function signedInUser(): Promise<boolean> {
  let principal: Principal;
  try {
    principal = await currentPrincipal();
  } catch {
    // A bad bearer header on a page request: show the form rather than an error page.
    return false;
  }
  return principal.kind === "user";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next);
  if (await signedInUser()) redirect(next);

  return (
    <div className="flex min-h-dvh flex-col bg-background">
      <DemoUsersBanner />
      <main id="main" className="flex flex-1 items-center justify-center px-4 py-12">
        <div className="flex w-full max-w-sm flex-col gap-6">
          <div className="flex items-center justify-center gap-2">
            <span className="flex size-8 items-center justify-center rounded-lg bg-accent text-accent-foreground">
              <PlaneTakeoff aria-hidden className="size-4" />
            </span>
            <span className="text-base font-semibold tracking-tight">Flightdeck</span>
          </div>
          <Card>
            <CardContent className="pt-5">
              <LoginForm next={next} />
            </CardContent>
          </Card>
          <p className="text-center text-xs text-muted">
            Accounts are created by an admin. Automation uses API tokens instead of passwords.
          </p>
        </div>
      </main>
    </div>
  );
}
