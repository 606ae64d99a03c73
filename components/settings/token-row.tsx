"use client";

import { revokeTokenAction } from "@/lib/actions";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { TableCell, TableRow } from "@/components/ui/table";
import type { TokenSummary } from "@/lib/tokens";
import { ConfirmButton } from "./confirm-button";
import { useActionRunner } from "./use-action-runner";

export function TokenRow({ token, canManage }: { token: TokenSummary; canManage: boolean }) {
  const { pending, run } = useActionRunner();
  const revoked = token.revokedAt !== null;

  return (
    <TableRow aria-busy={pending || undefined} className={revoked ? "text-muted" : undefined}>
      <TableCell className="font-medium">{token.name}</TableCell>
      {/* A scoped token's role is a placeholder: what it may do is its scope. */}
      <TableCell>{token.scope !== null ? `${token.scope} (scope)` : token.role}</TableCell>
      <TableCell>
        <code className="font-mono text-xs">{token.prefix}…</code>
      </TableCell>
      <TableCell>{token.createdBy}</TableCell>
      <TableCell>
        <RelativeTime date={token.createdAt} />
      </TableCell>
      <TableCell>
        {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} /> : <span className="text-muted">never</span>}
      </TableCell>
      <TableCell>
        {revoked && token.revokedAt ? (
          <Badge tone="danger">
            revoked <RelativeTime date={token.revokedAt} className="font-normal" />
          </Badge>
        ) : (
          <Badge tone="success">active</Badge>
        )}
      </TableCell>
      {canManage ? (
        <TableCell className="text-right">
          {revoked ? null : (
            <ConfirmButton
              label="Revoke"
              ariaLabel={`Revoke token ${token.name}`}
              title={`Revoke ${token.name}?`}
              description="Requests with this token are refused from now on. This cannot be undone; create a new token instead."
              confirmLabel="Revoke token"
              pending={pending}
              onConfirm={() => run(() => revokeTokenAction({ id: token.id }), { success: `Revoked ${token.name}` })}
            />
          )}
        </TableCell>
      ) : null}
    </TableRow>
  );
}
