"use client";

import type { CSSProperties } from "react";
import { Toaster as Sonner } from "sonner";
import { useDarkClass } from "./use-dark-class";

export { toast } from "sonner";

// Sonner reads these variables; pointing them at our tokens keeps toasts on-theme.
const tokenStyle = {
  "--normal-bg": "var(--color-surface-raised)",
  "--normal-border": "var(--color-border)",
  "--normal-text": "var(--color-foreground)",
  "--success-bg": "var(--color-success-soft)",
  "--success-border": "color-mix(in srgb, var(--color-success) 30%, transparent)",
  "--success-text": "var(--color-success-text)",
  "--error-bg": "var(--color-danger-soft)",
  "--error-border": "color-mix(in srgb, var(--color-danger) 30%, transparent)",
  "--error-text": "var(--color-danger-text)",
  "--border-radius": "0.5rem",
} as CSSProperties;

/** Mounted once in the root layout; call toast() / toast.error() from client code. */
export function Toaster() {
  const dark = useDarkClass();
  return (
    <Sonner
      theme={dark ? "dark" : "light"}
      position="bottom-right"
      richColors
      closeButton
      style={tokenStyle}
      toastOptions={{ className: "text-[13px] shadow-popover" }}
    />
  );
}
