import {
  BadgeCheck,
  BookOpen,
  Cpu,
  Database,
  GalleryVerticalEnd,
  KeyRound,
  Landmark,
  ScrollText,
  Send,
  SquareKanban,
  Users,
  Workflow,
  type LucideIcon,
} from "lucide-react";
import type { Permission } from "@/lib/auth";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  /** Shown only to roles the policy table grants this; the page itself checks again. */
  permission: Permission;
};

export const primaryNav: readonly NavItem[] = [
  { href: "/runs", label: "Runs", icon: SquareKanban, permission: "runs.read" },
  { href: "/jobs", label: "Jobs", icon: Workflow, permission: "jobs.read" },
  { href: "/audit", label: "Audit", icon: ScrollText, permission: "audit.read" },
  { href: "/governance", label: "Governance", icon: Landmark, permission: "governance.read" },
  { href: "/flashcards", label: "Flashcards", icon: GalleryVerticalEnd, permission: "flashcards.read" },
  { href: "/memory", label: "Memory", icon: Database, permission: "memory.read" },
  { href: "/resources", label: "Resources", icon: Cpu, permission: "resources.read" },
  { href: "/proof", label: "Proof", icon: BadgeCheck, permission: "proof.read" },
  { href: "/api-reference", label: "API reference", icon: BookOpen, permission: "session.read" },
];

export const settingsNav: readonly NavItem[] = [
  { href: "/settings/users", label: "Users", icon: Users, permission: "users.read" },
  { href: "/settings/tokens", label: "Tokens", icon: KeyRound, permission: "tokens.read" },
  { href: "/settings/webhooks", label: "Webhooks", icon: Send, permission: "webhooks.read" },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
