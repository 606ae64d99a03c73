"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { ToggleGroup } from "radix-ui";
import { cn } from "@/lib/utils";
import type { ThemePreference } from "./theme-script";
import { setThemePreference, useThemePreference } from "./theme-store";

const options = [
  { value: "light", label: "Light theme", Icon: Sun },
  { value: "dark", label: "Dark theme", Icon: Moon },
  { value: "system", label: "Follow system theme", Icon: Monitor },
] as const satisfies readonly { value: ThemePreference; label: string; Icon: unknown }[];

/** Light / dark / system, remembered in localStorage. Arrow keys move between the three. */
export function ThemeToggle({ className }: { className?: string }) {
  const preference = useThemePreference();
  return (
    <ToggleGroup.Root
      type="single"
      value={preference}
      onValueChange={(value) => {
        // Radix reports "" when the active item is pressed again; a theme is always chosen.
        if (value === "light" || value === "dark" || value === "system") setThemePreference(value);
      }}
      aria-label="Theme"
      className={cn(
        "inline-flex items-center gap-0.5 rounded-md border border-border bg-surface-muted/60 p-0.5",
        className,
      )}
    >
      {options.map(({ value, label, Icon }) => (
        <ToggleGroup.Item
          key={value}
          value={value}
          aria-label={label}
          title={label}
          className={cn(
            "flex size-6 items-center justify-center rounded text-muted transition-colors hover:text-foreground",
            "data-[state=on]:bg-surface data-[state=on]:text-foreground data-[state=on]:shadow-xs data-[state=on]:ring-1 data-[state=on]:ring-border-strong",
          )}
        >
          <Icon aria-hidden className="size-3.5" />
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
