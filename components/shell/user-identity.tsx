import type { Role } from "@/db/schema";
import { RoleBadge } from "./role-badge";

/** Who is signed in, and with which role: the first thing to check when a control is missing. */
export function UserIdentity({ label, role }: { label: string; role: Role }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <span
        aria-hidden
        className="flex size-6 shrink-0 items-center justify-center rounded-full bg-surface-muted text-[11px] font-semibold text-muted uppercase ring-1 ring-border"
      >
        {label.slice(0, 1)}
      </span>
      <span className="truncate text-[13px] text-foreground" title={label}>
        <span className="sr-only">Signed in as </span>
        {label}
      </span>
      <RoleBadge role={role} />
    </div>
  );
}
