import { GalleryVerticalEnd } from "lucide-react";
import type { Metadata } from "next";
import { authorizePage } from "@/components/shell/authorize-page";
import { Forbidden } from "@/components/shell/forbidden";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Flashcards" };

export default async function FlashcardsPage() {
  const access = await authorizePage("flashcards.read");
  if (!access.allowed) return <Forbidden title="Flashcards" permission="flashcards.read" />;

  return (
    <>
      <PageHeader
        title="Flashcards"
        description="Things the runtime noticed that need a person. Leads approve, reject or snooze; each decision is audited."
      />
      <EmptyState
        icon={GalleryVerticalEnd}
        title="The flashcard queue is not available yet"
        description="Until it is, runs that need a person show on the Runs board: approvals in the Waiting column (decided on the run's page), failed and timed-out runs under Needs attention."
      />
    </>
  );
}
