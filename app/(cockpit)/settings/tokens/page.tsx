import type { Metadata } from "next";
import { TokensAdmin } from "@/components/settings/tokens-admin";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { listApiTokens } from "@/lib/tokens";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const principal = await authorizePage("tokens.read");
  const canManage = roleAllows(principalRole(principal), "tokens.manage");
  const tokens = await listApiTokens();

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for automation (Authorization: Bearer …). Each acts with the role it was given. The secret is shown once, when it is created; only its hash is stored."
      />
      <TokensAdmin tokens={tokens} canManage={canManage} />
    </>
  );
}
