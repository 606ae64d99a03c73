"use client";

import { ErrorState } from "@/components/shell/error-state";

// Catches errors outside the cockpit shell (and in the shell's own layout).
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-lg">
        <ErrorState error={error} retry={retry} />
      </div>
    </main>
  );
}
