import { describe, expect, it } from "vitest";
import { authorize } from "@/lib/auth/dal";
import { policy, type Permission } from "@/lib/auth/policy";
import { principalRole, type Principal } from "@/lib/auth";
import { AppError } from "@/lib/errors";

/** A scoped token's scope replaces its role; its owner's current role still caps it. */
function outcome(principal: Principal, permission: Permission): string {
  try {
    authorize(principal, permission);
    return "allowed";
  } catch (error) {
    return error instanceof AppError ? error.code : "threw";
  }
}

const scoped = (extra: Partial<Extract<Principal, { kind: "token" }>> = {}): Principal => ({
  kind: "token",
  id: "t-metrics",
  label: "token:prometheus",
  role: "reviewer",
  scope: "metrics",
  ...extra,
});

describe("metrics scope", () => {
  it("has no role anywhere a role is read (the cockpit shell sends it to sign-in)", () => {
    expect(principalRole(scoped())).toBeNull();
    expect(principalRole(scoped({ role: "admin" }))).toBeNull();
  });

  it("allows metrics.read and refuses every other permission, public ones included, whatever the role", () => {
    for (const principal of [scoped(), scoped({ role: "admin" })]) {
      for (const permission of Object.keys(policy) as Permission[]) {
        expect(outcome(principal, permission), permission).toBe(
          permission === "metrics.read" ? "allowed" : "forbidden",
        );
      }
    }
  });

  it("is capped by its owner's current role: a demoted owner's metrics token is refused", () => {
    const owner = { id: "u1", label: "ops@example.com" };
    expect(outcome(scoped({ owner: { ...owner, role: "admin" } }), "metrics.read")).toBe("allowed");
    expect(outcome(scoped({ owner: { ...owner, role: "operator" } }), "metrics.read")).toBe("forbidden");
  });

  it("metrics.read without a scope: admins only; anonymous is unauthorized", () => {
    const user = (role: "admin" | "operator" | "lead" | "reviewer"): Principal => ({
      kind: "user",
      id: `u-${role}`,
      label: role,
      role,
    });
    expect(outcome(user("admin"), "metrics.read")).toBe("allowed");
    for (const role of ["operator", "lead", "reviewer"] as const)
      expect(outcome(user(role), "metrics.read")).toBe("forbidden");
    expect(outcome({ kind: "anonymous" }, "metrics.read")).toBe("unauthorized");
  });
});
