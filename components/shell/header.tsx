import type { ReactNode } from "react";
import type { Role } from "@/db/schema";
import { HeaderContext } from "./header-context";
import { UserIdentity } from "./user-identity";

type HeaderProps = {
  userLabel: string;
  role: Role;
  /** The sign-out control (owned by the auth components). */
  signOut?: ReactNode;
  /** The command palette's trigger (owned by the search components). */
  search?: ReactNode;
};

export function Header({ userLabel, role, signOut, search }: HeaderProps) {
  return (
    <header className="sticky top-0 z-30 flex h-12 shrink-0 items-center justify-between gap-4 border-b border-border bg-background/85 px-6 backdrop-blur supports-[backdrop-filter]:bg-background/70">
      <HeaderContext />
      <div className="ml-auto flex min-w-0 items-center gap-3">
        {search}
        <UserIdentity label={userLabel} role={role} />
        {signOut ? (
          <>
            <span aria-hidden className="h-4 w-px bg-border" />
            {signOut}
          </>
        ) : null}
      </div>
    </header>
  );
}
