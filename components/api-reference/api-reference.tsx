"use client";

import dynamic from "next/dynamic";

// The renderer mounts a Vue app into the DOM, so it only ever runs in the browser.
const ApiReferenceView = dynamic(() => import("./api-reference-view"), {
  ssr: false,
  loading: () => <p className="text-[13px] text-muted">Loading the API reference…</p>,
});

export function ApiReference() {
  return <ApiReferenceView />;
}
