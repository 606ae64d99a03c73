"use client";

import { RotateCcw, TriangleExclamationPoint } from "lucide-react";
import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";

type ErrorStateProps = {
  error: unknown;
  retry: () => void;
};

/**
 * What an error boundary shows. Production server errors arrive without their message (by
 * design, so nothing internal leaks); the digest lets an operator find the server log line.
 */
export function ErrorState({ error, retry }: ErrorStateProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;

  return (
    <EmptyState
      icon={TriangleExclamationPoint}
      title="Something went wrong"
      description={
        <>
          This page failed to load. Try again; if it keeps failing, the server log has the details
          {digest ? (
            <>
              {" "}
              under reference <code className="rounded bg-surface-muted px-1 font-mono text-xs">{digest}</code>
            </>
          ) : null}
          .
        </>
      }
      action={
        <>
          <Button variant="primary" onClick={() => retry()}>
            <RotateCcw aria-hidden />
            Try again
          </Button>
          <Link href="/runs" className={buttonClassName("secondary", "md")}>
            Go to runs
          </Link>
        </>
      }
    />
  );
}
