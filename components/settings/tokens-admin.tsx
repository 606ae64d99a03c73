import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { TokenSummary } from "@/lib/tokens";
import { CreateTokenDialog } from "./create-token-dialog";
import { TokenRow } from "./token-row";

export function TokensAdmin({ tokens, canManage }: { tokens: TokenSummary[]; canManage: boolean }) {
  return (
    <div className="flex flex-col gap-4">
      {canManage ? (
        <div className="flex justify-end">
          <CreateTokenDialog />
        </div>
      ) : null}
      {tokens.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No API tokens"
          description={
            <>
              Create one here or on the command line with{" "}
              <code className="font-mono text-xs">npm run flightdeck -- token create --role operator --name ci</code>.
            </>
          }
        />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Role</TableHead>
              <TableHead scope="col">Token</TableHead>
              <TableHead scope="col">Created by</TableHead>
              <TableHead scope="col">Created</TableHead>
              <TableHead scope="col">Last used</TableHead>
              <TableHead scope="col">Status</TableHead>
              {canManage ? (
                <TableHead scope="col">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((token) => (
              <TokenRow key={token.id} token={token} canManage={canManage} />
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
