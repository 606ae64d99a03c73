import type { DetailedHTMLProps, HTMLAttributes } from "react";

/** The attributes the API reference sets (docs: the package's documentation.md). */
type OpenApiExplorerAttributes = {
  "spec-url": string;
  "hide-console"?: "true" | "false";
  "hide-server-selection"?: "true" | "false";
  "use-path-in-nav-bar"?: "true" | "false";
  "default-schema-tab"?: "model" | "body";
  "schema-expand-level"?: string;
};

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "openapi-explorer": DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & OpenApiExplorerAttributes;
    }
  }
}
