import type { Role } from "@/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tones: Record<Role, BadgeTone> = {
  admin: "accent",
  lead: "violet",
  operator: "info",
  reviewer: "success",
};

export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <Badge tone={tones[role]} className={className}>
      {role}
    </Badge>
  );
}
