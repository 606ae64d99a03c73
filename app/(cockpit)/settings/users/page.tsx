import type { Metadata } from "next";
import { UsersAdmin } from "@/components/settings/users-admin";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { listUsers } from "@/lib/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const principal = await authorizePage("users.read");
  const canManage = roleAllows(principalRole(principal), "users.manage");
  const users = await listUsers();
  const selfId = principal.kind === "user" ? principal.id : null;

  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to the cockpit and with which role. Role changes apply on the user's next request; disabling signs them out everywhere."
      />
      <UsersAdmin users={users} selfId={selfId} canManage={canManage} />
    </>
  );
}
