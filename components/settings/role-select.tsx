"use client";

import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { Role } from "@/db/schema";
import { roleOptions } from "./roles";

type RoleSelectProps = {
  value: Role;
  onChange: (role: Role) => void;
  disabled?: boolean;
  /** Accessible name when the select is not inside a labelled Field. */
  label?: string;
  name?: string;
  className?: string;
};

export function RoleSelect({ value, onChange, disabled, label, name, className }: RoleSelectProps) {
  return (
    <Select value={value} onValueChange={(v) => onChange(v as Role)} disabled={disabled} name={name}>
      <SelectTrigger aria-label={label} className={className}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {roleOptions.map((role) => (
          <SelectItem key={role} value={role}>
            {role}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
