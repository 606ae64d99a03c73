"use client";

import "./globals.css";

// Replaces the root layout when the layout itself fails, so it cannot use the shell or
// providers; it stays plain on purpose.
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center p-6">
        <main className="max-w-md text-center">
          <h1 className="text-base font-semibold">Flightdeck could not load</h1>
          <p className="mt-2 text-[13px] text-muted">
            The application failed before it could render. Try again; if it keeps failing, check the server log.
          </p>
          <button
            type="button"
            onClick={() => retry()}
            className="mt-5 h-8 rounded-md bg-accent px-3 text-sm font-medium text-accent-foreground"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
