"use client";

import { changeUserRoleAction, deleteDemoUserAction, setUserDisabledAction } from "@/lib/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { TableCell, TableRow } from "@/components/ui/table";
import type { UserSummary } from "@/lib/users";
import { ConfirmButton } from "./confirm-button";
import { RoleSelect } from "./role-select";
import { useActionRunner } from "./use-action-runner";

type UserRowProps = { user: UserSummary; isSelf: boolean; canManage: boolean };

export function UserRow({ user, isSelf, canManage }: UserRowProps) {
  const { pending, run } = useActionRunner();

  return (
    <TableRow aria-busy={pending || undefined}>
      <TableCell className="font-medium">
        {user.email}
        {isSelf ? <span className="ml-1.5 text-xs font-normal text-muted">(you)</span> : null}
      </TableCell>
      <TableCell>{user.name}</TableCell>
      <TableCell className="w-36">
        {canManage ? (
          <RoleSelect
            value={user.role}
            label={`Role of ${user.email}`}
            disabled={pending}
            className="h-7"
            onChange={(role) =>
              run(() => changeUserRoleAction({ userId: user.id, role }), { success: `${user.email} is now ${role}` })
            }
          />
        ) : (
          user.role
        )}
      </TableCell>
      <TableCell>
        <span className="flex gap-1.5">
          {user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">enabled</Badge>}
          {user.isDemo ? <Badge tone="warning">demo</Badge> : null}
        </span>
      </TableCell>
      <TableCell className="text-muted">
        <RelativeTime date={user.createdAt} />
      </TableCell>
      {canManage ? (
        <TableCell>
          <span className="flex justify-end gap-1.5">
            {user.disabled ? (
              <Button
                size="sm"
                aria-label={`Enable ${user.email}`}
                disabled={pending}
                onClick={() =>
                  run(() => setUserDisabledAction({ userId: user.id, disabled: false }), {
                    success: `Enabled ${user.email}`,
                  })
                }
              >
                Enable
              </Button>
            ) : (
              <ConfirmButton
                label="Disable"
                ariaLabel={`Disable ${user.email}`}
                title={`Disable ${user.email}?`}
                description="They are signed out everywhere at once and cannot sign in until enabled again. Their history stays."
                confirmLabel="Disable user"
                pending={pending}
                onConfirm={() =>
                  run(() => setUserDisabledAction({ userId: user.id, disabled: true }), {
                    success: `Disabled ${user.email}`,
                  })
                }
              />
            )}
            {user.isDemo ? (
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete ${user.email}`}
                title={`Delete demo user ${user.email}?`}
                description="The account, its sessions and its password are removed. The audit trail keeps what it did."
                confirmLabel="Delete user"
                pending={pending}
                onConfirm={() =>
                  run(() => deleteDemoUserAction({ userId: user.id }), { success: `Deleted ${user.email}` })
                }
              />
            ) : null}
          </span>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
