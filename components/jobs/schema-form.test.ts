import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildInput, fieldsOf, initialValues, JsonFieldError, type JsonSchema } from "./schema-fields";
import { issuesByPath, validateInput } from "./validate-input";

// The same conversion the registry stores (lib/jobs/serialize.ts jsonSchemaOf).
const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

const ticket = toSchema(
  z.object({
    subject: z.string().trim().min(1).max(300),
    body: z.string().trim().min(1).max(20_000),
    customer: z.email(),
    ticketId: z.string().min(1).max(100).optional(),
    priority: z.enum(["low", "high"]).optional(),
    retries: z.number().int().min(0).max(5).optional(),
    notifyOwner: z.boolean().default(false),
    address: z.object({ city: z.string().min(1) }).optional(),
  }),
);

describe("form fields from a job's input JSON Schema", () => {
  it("picks a control per property: text, long text, email, enum, integer, boolean, nested object", () => {
    const fields = fieldsOf(ticket);
    const kinds = Object.fromEntries(fields.map((f) => [f.path, f.kind]));
    expect(kinds).toEqual({
      subject: "text",
      body: "textarea",
      customer: "email",
      ticketId: "text",
      priority: "enum",
      retries: "integer",
      notifyOwner: "boolean",
      address: "object",
    });
    expect(fields.find((f) => f.path === "customer")?.required).toBe(true);
    expect(fields.find((f) => f.path === "address")?.children?.map((c) => c.path)).toEqual(["address.city"]);
  });

  it("builds the input: empty optionals left out, numbers parsed, booleans kept", () => {
    const fields = fieldsOf(ticket);
    const values = {
      ...initialValues(fields),
      subject: "Hi",
      body: "Text",
      customer: "a@b.example",
      retries: "2",
      notifyOwner: true,
    };
    expect(buildInput(fields, values)).toEqual({
      subject: "Hi",
      body: "Text",
      customer: "a@b.example",
      retries: 2,
      notifyOwner: true,
    });
  });

  it("reports bad JSON in a free-form field by its path", () => {
    const schema = toSchema(z.object({ extra: z.array(z.string()) }));
    const fields = fieldsOf(schema);
    expect(() => buildInput(fields, { extra: "[not json" })).toThrow(JsonFieldError);
  });
});

describe("browser validation mirrors the server's", () => {
  it("refuses what the schema refuses, with plain messages per field", () => {
    const errors = validateInput(ticket, {
      subject: "",
      body: "x",
      customer: "not-an-email",
      retries: 9,
      notifyOwner: false,
    });
    expect(errors).toEqual({
      subject: "Required",
      customer: "Enter a valid email address",
      retries: "Must be at most 5",
    });
    expect(validateInput(ticket, { subject: "s", body: "b", customer: "a@b.example", notifyOwner: false })).toEqual({});
  });

  it("maps the server's zod issues onto the same fields", () => {
    const server = z.object({ subject: z.string().trim().min(1), customer: z.email() }).safeParse({ subject: "   " });
    expect(server.success).toBe(false);
    expect(issuesByPath(server.error?.issues)).toEqual({ subject: "Required", customer: "Required" });
  });
});
