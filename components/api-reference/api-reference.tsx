"use client";

import { useEffect, useRef, useState } from "react";
import "./api-reference.css";

/** An operation as openapi-explorer hands it to `spec-loaded` listeners (its documented hook for editing the spec). */
type ExplorerOperation = { description?: string; extensions?: Record<string, unknown> };
type LoadedSpec = { tags?: { paths?: ExplorerOperation[] }[] };

function isPermission(value: unknown): value is { name: string; allowed: string } {
  if (typeof value !== "object" || value === null) return false;
  const { name, allowed } = value as Record<string, unknown>;
  return typeof name === "string" && typeof allowed === "string";
}

/**
 * The renderer shows no vendor extensions, so each operation's description gets a line naming
 * the permission the handler checks and who holds it (the document's `permissionKey` extension).
 */
function addPermissions(spec: LoadedSpec, permissionKey: string): void {
  for (const tag of spec.tags ?? []) {
    for (const operation of tag.paths ?? []) {
      const permission = operation.extensions?.[permissionKey];
      if (!isPermission(permission)) continue;
      const line = `**Permission** \`${permission.name}\` (${permission.allowed})`;
      operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
    }
  }
}

/**
 * GET /api/openapi.json rendered by openapi-explorer (a web component): operations with their
 * parameters, bodies, answers and permissions. Read-only — the console that would send
 * requests from this page is off — and everything it loads comes from this origin, as the
 * Content-Security-Policy requires. The element is defined in the browser only.
 */
export function ApiReference({ specUrl, permissionKey }: { specUrl: string; permissionKey: string }) {
  const explorer = useRef<HTMLElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = explorer.current;
    if (!element) return;
    const onLoaded = (event: Event) => addPermissions((event as CustomEvent<LoadedSpec>).detail, permissionKey);
    element.addEventListener("spec-loaded", onLoaded);
    import("openapi-explorer").catch(() => setFailed(true));
    return () => element.removeEventListener("spec-loaded", onLoaded);
  }, [permissionKey]);

  if (failed) {
    return (
      <p role="alert" className="text-[13px] text-danger-text">
        The API reference could not be loaded; the document itself is at{" "}
        <a className="underline" href={specUrl}>
          {specUrl}
        </a>
        .
      </p>
    );
  }
  return (
    <div className="h-[calc(100dvh-11rem)] min-h-[32rem] overflow-hidden rounded-lg border border-border">
      <openapi-explorer
        ref={explorer}
        spec-url={specUrl}
        hide-console="true"
        hide-server-selection="true"
        use-path-in-nav-bar="true"
      />
    </div>
  );
}
