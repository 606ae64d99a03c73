"use client";

import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { FieldSpec, FormValues } from "./schema-fields";

type SchemaFormProps = {
  fields: FieldSpec[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (path: string, value: string | boolean) => void;
  idPrefix: string;
};

function Control({ field, props }: { field: FieldSpec; props: SchemaFormProps }) {
  const value = props.values[field.path];
  const text = typeof value === "string" ? value : "";
  const id = `${props.idPrefix}-${field.path}`;
  const error = props.errors[field.path];
  const common = { label: field.label, hint: field.hint, error, required: field.required, id };

  switch (field.kind) {
    case "boolean":
      return (
        <div className="flex flex-col gap-1">
          <Checkbox
            id={id}
            checked={value === true}
            onCheckedChange={(v) => props.onChange(field.path, v === true)}
            label={field.label}
          />
          {error ? <p className="text-xs font-medium text-danger-text">{error}</p> : null}
        </div>
      );
    case "enum":
      return (
        <Field {...common}>
          <Select value={text || undefined} onValueChange={(v) => props.onChange(field.path, v)}>
            <SelectTrigger>
              <SelectValue placeholder="Choose…" />
            </SelectTrigger>
            <SelectContent>
              {(field.options ?? []).map((o) => (
                <SelectItem key={o} value={o}>
                  {o}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </Field>
      );
    case "textarea":
    case "json":
      return (
        <Field {...common} hint={field.kind === "json" ? (field.hint ?? "JSON") : field.hint}>
          <Textarea
            name={field.path}
            rows={field.kind === "json" ? 4 : 5}
            value={text}
            onChange={(e) => props.onChange(field.path, e.target.value)}
            className={field.kind === "json" ? "font-mono text-xs" : undefined}
          />
        </Field>
      );
    default:
      return (
        <Field {...common}>
          <Input
            name={field.path}
            type={
              field.kind === "email" ? "email" : field.kind === "number" || field.kind === "integer" ? "number" : "text"
            }
            step={field.kind === "integer" ? 1 : field.kind === "number" ? "any" : undefined}
            inputMode={field.kind === "integer" ? "numeric" : undefined}
            value={text}
            onChange={(e) => props.onChange(field.path, e.target.value)}
          />
        </Field>
      );
  }
}

/** A form generated from the job's input schema; validation happens in the dialog around it. */
export function SchemaForm(props: SchemaFormProps) {
  return (
    <div className="flex flex-col gap-4">
      {props.fields.map((field) =>
        field.children ? (
          <fieldset key={field.path} className="flex flex-col gap-3 rounded-lg border border-border p-3">
            <legend className="px-1 text-[13px] font-medium">
              {field.label}
              {field.required ? (
                <span aria-hidden className="ml-0.5 text-danger-text">
                  *
                </span>
              ) : null}
            </legend>
            <SchemaForm {...props} fields={field.children} />
          </fieldset>
        ) : (
          <Control key={field.path} field={field} props={props} />
        ),
      )}
    </div>
  );
}
