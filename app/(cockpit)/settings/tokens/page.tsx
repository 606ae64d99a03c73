import type { Metadata } from "next";
import { TokensAdmin } from "@/components/settings/tokens-admin";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { listApiTokens } from "@/lib/tokens";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const access = await authorizePage("tokens.read");
  if (!access.allowed) return <Forbidden title="API tokens" permission="tokens.read" />;
  const canManage = roleAllows(principalRole(access.principal), "tokens.manage");
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
