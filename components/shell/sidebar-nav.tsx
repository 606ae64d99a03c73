"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { OpenCountBadge } from "@/components/flashcards/open-count-badge";
import { cn } from "@/lib/utils";
import { isActive, primaryNav, settingsNav, type NavItem } from "./nav-items";

function NavLink({ item, pathname }: { item: NavItem; pathname: string }) {
  const active = isActive(pathname, item.href);
  const Icon = item.icon;
  return (
    <li>
      <Link
        href={item.href}
        aria-current={active ? "page" : undefined}
        title={item.label}
        className={cn(
          "group relative flex h-8 items-center gap-2.5 rounded-md px-2 text-[13px] font-medium transition-colors",
          "max-lg:justify-center",
          active ? "bg-surface-muted text-foreground" : "text-muted hover:bg-surface-muted/70 hover:text-foreground",
        )}
      >
        <Icon
          aria-hidden
          className={cn("size-4 shrink-0", active ? "text-accent-text" : "text-muted group-hover:text-foreground")}
        />
        <span className="truncate max-lg:sr-only">{item.label}</span>
        {item.href === "/flashcards" ? <OpenCountBadge /> : null}
      </Link>
    </li>
  );
}

/** `allowed` holds the hrefs the viewer's role may open (decided on the server). */
export function SidebarNav({ allowed }: { allowed: readonly string[] }) {
  const pathname = usePathname();
  const visible = (items: readonly NavItem[]) => items.filter((item) => allowed.includes(item.href));
  const settings = visible(settingsNav);

  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-6 overflow-y-auto px-2 py-3">
      <ul className="flex flex-col gap-0.5">
        {visible(primaryNav).map((item) => (
          <NavLink key={item.href} item={item} pathname={pathname} />
        ))}
      </ul>
      {settings.length > 0 ? (
        <div>
          <h2 className="mb-1 px-2 text-[11px] font-medium tracking-wide text-muted uppercase max-lg:sr-only">
            Settings
          </h2>
          <ul className="flex flex-col gap-0.5">
            {settings.map((item) => (
              <NavLink key={item.href} item={item} pathname={pathname} />
            ))}
          </ul>
        </div>
      ) : null}
    </nav>
  );
}
