"use client";

import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";
import { useFieldControlProps } from "./field-context";
import { controlClassName } from "./input-styles";

export function Textarea({ className, rows = 4, ...props }: ComponentProps<"textarea">) {
  const fieldProps = useFieldControlProps(props);
  return (
    <textarea
      rows={rows}
      className={cn(controlClassName, "min-h-16 resize-y py-1.5 leading-5", className)}
      {...fieldProps}
    />
  );
}
