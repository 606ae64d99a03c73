import { SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <EmptyState
        icon={SearchX}
        headingLevel="h2"
        className="w-full max-w-lg border-solid bg-surface"
        title={<span className="text-base">Page not found</span>}
        description="There is nothing at this address. It may have been mistyped, or what it pointed to no longer exists."
        action={
          <Link href="/runs" className={buttonClassName("primary", "md")}>
            Go to runs
          </Link>
        }
      />
    </main>
  );
}
