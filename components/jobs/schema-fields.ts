/**
 * Turns a job's input JSON Schema (as the registry stores it) into form fields, and the
 * form's values back into the input object. Supported: string (text, long text, email),
 * number, integer, boolean, enum and nested objects; anything else is edited as JSON.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
};

export type FieldKind = "text" | "textarea" | "email" | "number" | "integer" | "boolean" | "enum" | "object" | "json";

export interface FieldSpec {
  /** Dotted path, e.g. "customer" or "address.city": the key of the value and of its error. */
  path: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  hint?: string;
  options?: string[];
  children?: FieldSpec[];
  defaultValue?: unknown;
}

/** Long strings get a textarea: a declared max over 500 characters, or a name that says so. */
const LONG_TEXT = 500;
const longNames = /^(body|description|message|content|text|notes?|details|instructions)$/i;

function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
}

function kindOf(key: string, schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")) return "enum";
  switch (typeOf(schema)) {
    case "string":
      if (schema.format === "email") return "email";
      return (schema.maxLength ?? 0) > LONG_TEXT || longNames.test(key) ? "textarea" : "text";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "object":
      return schema.properties ? "object" : "json";
    default:
      return "json";
  }
}

export function fieldsOf(schema: JsonSchema, prefix = ""): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, child]) => {
    const kind = kindOf(key, child);
    const path = prefix ? `${prefix}.${key}` : key;
    return {
      path,
      label: child.title ?? humanize(key),
      kind,
      required: required.has(key),
      hint: child.description,
      options: kind === "enum" ? (child.enum as string[]) : undefined,
      children: kind === "object" ? fieldsOf(child, path) : undefined,
      defaultValue: child.default,
    };
  });
}

export type FormValues = Record<string, string | boolean>;

export function initialValues(fields: FieldSpec[], out: FormValues = {}): FormValues {
  for (const field of fields) {
    if (field.children) initialValues(field.children, out);
    else if (field.kind === "boolean") out[field.path] = field.defaultValue === true;
    else if (field.defaultValue !== undefined) {
      out[field.path] =
        field.kind === "json" ? JSON.stringify(field.defaultValue, null, 2) : String(field.defaultValue);
    } else out[field.path] = "";
  }
  return out;
}

function hasAnyValue(fields: FieldSpec[], values: FormValues): boolean {
  return fields.some((f) =>
    f.children
      ? hasAnyValue(f.children, values)
      : values[f.path] === true || (typeof values[f.path] === "string" && String(values[f.path]).trim() !== ""),
  );
}

export class JsonFieldError extends Error {
  constructor(readonly path: string) {
    super("Not valid JSON");
  }
}

/**
 * The input object from the form. Empty optional fields are left out (so defaults apply);
 * an empty required field is sent as "" / missing so the schema reports it.
 */
export function buildInput(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.path.split(".").at(-1) ?? field.path;
    if (field.children) {
      // An optional object left blank is left out, rather than sent half-empty.
      if (field.required || hasAnyValue(field.children, values)) out[key] = buildInput(field.children, values);
      continue;
    }
    const raw = values[field.path];
    if (field.kind === "boolean") {
      out[key] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      if (field.required && (field.kind === "text" || field.kind === "textarea" || field.kind === "email"))
        out[key] = text;
      continue;
    }
    if (field.kind === "number" || field.kind === "integer") out[key] = Number(text);
    else if (field.kind === "json") {
      try {
        out[key] = JSON.parse(text) as unknown;
      } catch {
        throw new JsonFieldError(field.path);
      }
    } else out[key] = text;
  }
  return out;
}
