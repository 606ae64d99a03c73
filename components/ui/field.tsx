"use client";

import { useId, type ReactNode } from "react";
import { cn } from "@/lib/utils";
import { FieldContext } from "./field-context";
import { Label } from "./label";

type FieldProps = {
  label: ReactNode;
  /** Guidance shown under the control and announced with it. */
  hint?: ReactNode;
  /** Validation message; marks the control aria-invalid and is announced with it. */
  error?: ReactNode;
  required?: boolean;
  /** Id for the control; generated when omitted. */
  id?: string;
  className?: string;
  /** One control: Input, Textarea, SelectTrigger inside a Select, or any element using useFieldControlProps. */
  children: ReactNode;
};

export function Field({ label, hint, error, required = false, id, className, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `field-${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;

  return (
    <FieldContext value={{ id: controlId, describedBy, invalid: Boolean(error), required }}>
      <div className={cn("flex flex-col gap-1.5", className)}>
        <Label htmlFor={controlId}>
          {label}
          {required ? (
            <span aria-hidden className="ml-0.5 text-danger-text">
              *
            </span>
          ) : null}
        </Label>
        {children}
        {hint ? (
          <p id={hintId} className="text-xs text-muted">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={errorId} className="text-xs font-medium text-danger-text">
            {error}
          </p>
        ) : null}
      </div>
    </FieldContext>
  );
}
