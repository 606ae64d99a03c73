import { redirect } from "next/navigation";

// The kanban is where operators live; the cockpit has no separate home page.
export default function Home() {
  redirect("/runs");
}
