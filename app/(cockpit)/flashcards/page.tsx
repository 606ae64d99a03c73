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
        title="Nothing needs attention"
        description="A flashcard is raised when a run asks for approval, crosses a budget threshold, fails repeatedly, violates a policy or gets stuck. No run has raised one, so the queue is empty."
      />
    </>
  );
}
