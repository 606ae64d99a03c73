import { Brand } from "./brand";
import { SidebarNav } from "./sidebar-nav";
import { ThemeToggle } from "./theme-toggle";

/** Full labels from 1024px up; an icon rail below that so the content keeps its width. */
export function Sidebar({ allowedHrefs }: { allowedHrefs: readonly string[] }) {
  return (
    <aside className="sticky top-0 flex h-dvh w-14 shrink-0 flex-col border-r border-border bg-surface lg:w-56">
      <Brand />
      <SidebarNav allowed={allowedHrefs} />
      <div className="flex shrink-0 items-center justify-between gap-2 border-t border-border px-3 py-2.5 max-lg:justify-center max-lg:px-0">
        <span className="text-xs text-muted max-lg:hidden">Theme</span>
        <ThemeToggle className="max-lg:flex-col" />
      </div>
    </aside>
  );
}
