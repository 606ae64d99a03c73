import { Users } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { UserSummary } from "@/lib/users";
import { CreateUserDialog } from "./create-user-dialog";
import { UserRow } from "./user-row";

type UsersAdminProps = { users: UserSummary[]; selfId: string | null; canManage: boolean };

export function UsersAdmin({ users, selfId, canManage }: UsersAdminProps) {
  return (
    <div className="flex flex-col gap-4">
      {canManage ? (
        <div className="flex justify-end">
          <CreateUserDialog />
        </div>
      ) : null}
      {users.length === 0 ? (
        <EmptyState icon={Users} title="No users" description="Create the first user to let someone sign in." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Email</TableHead>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Role</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">Created</TableHead>
              {canManage ? (
                <TableHead scope="col" className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.id === selfId} canManage={canManage} />
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
