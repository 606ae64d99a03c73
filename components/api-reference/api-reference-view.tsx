"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's renderer of GET /api/openapi.json, configured toward what the CSP
 * (scripts/lib/security-headers.mjs) allows: no web fonts from Scalar's CDN, no telemetry,
 * no request proxy, no "open in client" hand-off. Not enough yet: its agent chat still
 * tries eval and proxy.scalar.com, and axe faults its markup (docs/INTEGRATIONS.md#openapi),
 * so the page is not in the nav.
 */
export default function ApiReferenceView() {
  return (
    <div className="api-reference -mx-2">
      <ApiReferenceReact
        configuration={{
          url: "/api/openapi.json",
          layout: "classic",
          withDefaultFonts: false,
          telemetry: false,
          hideClientButton: true,
          hideDarkModeToggle: true,
          showDeveloperTools: "never",
          documentDownloadType: "json",
          defaultOpenAllTags: false,
        }}
      />
    </div>
  );
}
