import { SearchX } from "lucide-react";
import Link from "next/link";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";

// Shown inside the shell when a cockpit page calls notFound() (e.g. an unknown run id).
export default function CockpitNotFound() {
  return (
    <EmptyState
      icon={SearchX}
      title="Not found"
      description="This item does not exist, or it was removed. Check the link, or go back to the list."
      action={
        <Link href="/runs" className={buttonClassName("secondary", "md")}>
          Go to runs
        </Link>
      }
    />
  );
}
