import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference/api-reference";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { permissionExtension } from "@/lib/openapi";

export const metadata: Metadata = { title: "API reference" };

const specUrl = "/api/openapi.json";

/**
 * The HTTP API as GET /api/openapi.json describes it (generated from the route handlers' own
 * zod schemas, lib/openapi), rendered in the cockpit for everyone signed in.
 */
export default async function ApiReferencePage() {
  await authorizePage("session.read");
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint with the permission it checks, its parameters, bodies and answers, generated from the
            handlers&apos; own schemas. The machine-readable document is{" "}
            <a className="text-accent-text underline" href={specUrl}>
              {specUrl}
            </a>{" "}
            (OpenAPI 3.1), for client generators; scripts authenticate with an API token an admin issues.
          </>
        }
      />
      <ApiReference specUrl={specUrl} permissionKey={permissionExtension} />
    </>
  );
}
