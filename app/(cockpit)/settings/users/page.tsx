import type { Metadata } from "next";
import { UsersAdmin } from "@/components/settings/users-admin";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { listUsers } from "@/lib/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const access = await authorizePage("users.read");
  if (!access.allowed) return <Forbidden title="Users" permission="users.read" />;
  const canManage = roleAllows(principalRole(access.principal), "users.manage");
  const users = await listUsers();
  const selfId = access.principal.kind === "user" ? access.principal.id : null;

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
