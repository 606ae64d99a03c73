"use client";

import { ShieldX } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { isActive } from "./nav-items";

export type GuardedPage = { href: string; label: string; roles: string };

/** The 403 state of a cockpit page, for the page at the current URL: which roles may see it, and a way back. */
export function ForbiddenState({ pages }: { pages: GuardedPage[] }) {
  const pathname = usePathname();
  const page = pages.find((p) => isActive(pathname, p.href));
  const title = page?.label ?? "Forbidden";
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        icon={ShieldX}
        title="You don't have access to this page"
        description={
          page ? (
            <>
              Your role can&apos;t open {page.label}. It is available to {page.roles}. Ask an admin to change your role
              if you need it.
            </>
          ) : (
            "Your role can't open this page. Ask an admin to change your role if you need it."
          )
        }
        action={
          <Link href="/runs" className={buttonClassName("secondary", "md")}>
            Back to runs
          </Link>
        }
      />
    </>
  );
}
