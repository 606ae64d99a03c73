import { policy, type Permission } from "@/lib/auth";
import { ForbiddenState, type GuardedPage } from "./forbidden-state";
import { primaryNav, settingsNav } from "./nav-items";

/** "everyone", "the admin role", "the admin, reviewer and lead roles". */
function allowedRoles(permission: Permission): string {
  const rule = policy[permission];
  if (rule === "public") return "everyone";
  const roles = [...rule];
  if (roles.length <= 1) return `the ${roles.join("")} role`;
  return `the ${roles.slice(0, -1).join(", ")} and ${roles.at(-1) ?? ""} roles`;
}

/**
 * The 403 page of the cockpit (rendered by app/(cockpit)/forbidden.tsx when a page calls forbidden()): which roles
 * may open the page, and a way back. Next gives forbidden.tsx no props, so the page is found from the URL among the
 * navigation items, each with the roles its permission allows.
 */
export function Forbidden() {
  const pages: GuardedPage[] = [...primaryNav, ...settingsNav].map((item) => ({
    href: item.href,
    label: item.label,
    roles: allowedRoles(item.permission),
  }));
  return <ForbiddenState pages={pages} />;
}
