import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference/api-reference";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API reference" };

/**
 * The HTTP API as GET /api/openapi.json describes it (generated from the route handlers'
 * zod schemas, lib/openapi), rendered in the cockpit for anyone signed in.
 */
export default async function ApiReferencePage() {
  const access = await authorizePage("session.read");
  if (!access.allowed) return <Forbidden title="API reference" permission="session.read" />;
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint with its permission, parameters, bodies and answers, generated from the handlers&apos; own
            schemas. The machine-readable document is at{" "}
            <a className="underline" href="/api/openapi.json">
              /api/openapi.json
            </a>{" "}
            (OpenAPI 3.1); see docs/INTEGRATIONS.md to generate a client from it.
          </>
        }
      />
      <ApiReference />
    </>
  );
}
