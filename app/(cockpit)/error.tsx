"use client";

import { ErrorState } from "@/components/shell/error-state";

// Keeps the sidebar and header usable when one page fails.
export default function CockpitError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState error={error} retry={retry} />;
}
