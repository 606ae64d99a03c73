"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's renderer of GET /api/openapi.json. Configured to stay on this origin, as the
 * CSP (scripts/lib/security-headers.mjs) requires: no web fonts from Scalar's CDN, no
 * telemetry, no request proxy, no "open in client" hand-off.
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
