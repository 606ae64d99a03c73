"use client";

import { Check, Minus } from "lucide-react";
import { Checkbox as CheckboxPrimitive } from "radix-ui";
import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/lib/utils";
import { useFieldControlProps } from "./field-context";
import { Label } from "./label";

type CheckboxProps = ComponentProps<typeof CheckboxPrimitive.Root> & {
  /** Optional inline label; clicking it toggles the box. */
  label?: ReactNode;
};

export function Checkbox({ className, label, id, ...props }: CheckboxProps) {
  const generated = useId();
  const fieldProps = useFieldControlProps({ ...props, id: id ?? (label ? `checkbox-${generated}` : undefined) });
  const box = (
    <CheckboxPrimitive.Root
      className={cn(
        "peer flex size-4 shrink-0 items-center justify-center rounded border border-border-strong bg-surface shadow-xs",
        "transition-colors data-[state=checked]:border-accent data-[state=checked]:bg-accent data-[state=checked]:text-accent-foreground",
        "data-[state=indeterminate]:border-accent data-[state=indeterminate]:bg-accent data-[state=indeterminate]:text-accent-foreground",
        "disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-danger",
        className,
      )}
      {...fieldProps}
    >
      <CheckboxPrimitive.Indicator className="group flex items-center justify-center">
        <Check aria-hidden className="size-3 group-data-[state=indeterminate]:hidden" strokeWidth={3} />
        <Minus aria-hidden className="hidden size-3 group-data-[state=indeterminate]:block" strokeWidth={3} />
      </CheckboxPrimitive.Indicator>
    </CheckboxPrimitive.Root>
  );
  if (!label) return box;
  return (
    <div className="flex items-center gap-2">
      {box}
      <Label htmlFor={fieldProps.id} className="font-normal">
        {label}
      </Label>
    </div>
  );
}
