import { redirect } from "next/navigation";

// Settings has no overview of its own; users is its first section.
export default function SettingsPage() {
  redirect("/settings/users");
}
