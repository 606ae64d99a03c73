import { describe, expect, it } from "vitest";
import { deriveFairShareKey } from "./fair-share-key";

describe("deriveFairShareKey", () => {
  it("reads a dotted path, takes an e-mail's domain with |domain, and falls back to the group", () => {
    expect(deriveFairShareKey(undefined, { customer: "a@acme.example" }, "support")).toBe("support");
    expect(deriveFairShareKey("customer|domain", { customer: "Jo@ACME.example" }, "support")).toBe("acme.example");
    expect(deriveFairShareKey("ticket.tenant", { ticket: { tenant: "globex" } }, "support")).toBe("globex");
    expect(deriveFairShareKey("ticket.tenant", { ticket: { tenant: 42 } }, "support")).toBe("42");
    expect(deriveFairShareKey("ticket.tenant", { ticket: {} }, "support")).toBe("support");
    expect(deriveFairShareKey("ticket.tenant", { ticket: { tenant: "  " } }, "support")).toBe("support");
    expect(deriveFairShareKey("ticket.tenant", { ticket: { tenant: "x".repeat(201) } }, "support")).toBe("support");
    expect(deriveFairShareKey("customer", null, "support")).toBe("support");
  });
});
