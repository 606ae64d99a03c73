"use client";

import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";
import { useFieldControlProps } from "./field-context";
import { controlClassName } from "./input-styles";

export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  const fieldProps = useFieldControlProps(props);
  return <input type={type} className={cn(controlClassName, "h-8", className)} {...fieldProps} />;
}
