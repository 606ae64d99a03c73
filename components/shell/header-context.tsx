"use client";

import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { isActive, primaryNav, settingsNav } from "./nav-items";

/** Where am I: the area, and for nested pages (e.g. a run) the item within it. */
export function HeaderContext() {
  const pathname = usePathname();
  const inSettings = settingsNav.find((item) => isActive(pathname, item.href));
  const area = inSettings ?? primaryNav.find((item) => isActive(pathname, item.href));
  if (!area) return null;

  const rest = pathname.slice(area.href.length).split("/").filter(Boolean);
  const crumbs: { label: string; href?: string }[] = [];
  if (inSettings) crumbs.push({ label: "Settings" });
  crumbs.push({ label: area.label, href: rest.length > 0 ? area.href : undefined });
  // Job ids are readable (e.g. "triage-ticket"), so show the whole id; CSS truncates long ones and the title keeps them readable.
  for (const segment of rest) crumbs.push({ label: decodeURIComponent(segment) });

  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex min-w-0 items-center gap-1.5 text-[13px]">
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <li key={`${crumb.label}-${index}`} className="flex min-w-0 items-center gap-1.5">
              {index > 0 ? <ChevronRight aria-hidden className="size-3.5 shrink-0 text-muted/70" /> : null}
              {crumb.href ? (
                <Link href={crumb.href} className="truncate text-muted hover:text-foreground">
                  {crumb.label}
                </Link>
              ) : (
                <span
                  aria-current={last ? "page" : undefined}
                  title={crumb.label}
                  className={last ? "max-w-64 truncate font-medium text-foreground" : "truncate text-muted"}
                >
                  {crumb.label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
