import { ShieldX } from "lucide-react";
import Link from "next/link";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { policy, type Permission } from "@/lib/auth";

function allowedRoles(permission: Permission): string {
  const rule = policy[permission];
  if (rule === "public") return "everyone";
  const roles = [...rule];
  if (roles.length <= 1) return roles.join("");
  return `${roles.slice(0, -1).join(", ")} and ${roles.at(-1) ?? ""}`;
}

type ForbiddenProps = {
  /** Page title, kept so the viewer knows where they landed. */
  title: string;
  permission: Permission;
};

/** The 403 state of a cockpit page: which roles may see it, and a way back. */
export function Forbidden({ title, permission }: ForbiddenProps) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        icon={ShieldX}
        title="You don't have access to this page"
        description={
          <>
            Your role can&apos;t open {title}. It is available to the {allowedRoles(permission)} roles. Ask an admin to
            change your role if you need it.
          </>
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
