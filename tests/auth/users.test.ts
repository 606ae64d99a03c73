import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session, user } from "@/db/schema";
import type { Principal } from "@/lib/auth";
import { changeUserRole, createUser, deleteDemoUser, listUsers, setUserDisabled } from "@/lib/users";
import { cookieHeader } from "./http";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "./fixtures";

let f: AuthFixture;
let root: Principal;
let rootId: string;

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "50" });
  const created = await addUser(f.db, "root@example.com", "admin");
  rootId = created.id;
  root = { kind: "user", id: created.id, label: created.email, role: "admin" };
});
afterAll(async () => f.close());

describe("user administration", () => {
  it("creates a user who can sign in; duplicates are a conflict", async () => {
    const created = await createUser(f.db, root, {
      email: "Eve@Example.com",
      name: "Eve",
      role: "reviewer",
      password: "a long password!",
    });
    expect(created).toMatchObject({ email: "eve@example.com", role: "reviewer", disabled: false, isDemo: false });
    expect((await signInRequest(f.server, "eve@example.com", "a long password!")).status).toBe(200);
    await expect(
      createUser(f.db, root, { email: "eve@example.com", name: "Eve 2", role: "lead", password: "a long password!" }),
    ).rejects.toMatchObject({ code: "conflict" });
    const [event] = await auditOf(f.db, "user.created");
    expect(event).toMatchObject({
      actorId: rootId,
      subjectId: created.id,
      payload: { email: "eve@example.com", role: "reviewer" },
    });
    expect(JSON.stringify(event)).not.toContain("a long password!");
    expect((await listUsers(f.db)).map((u) => u.email)).toEqual(["eve@example.com", "root@example.com"]);
  });

  it("changes a role with from/to in the audit log, effective on the next request", async () => {
    const eve = (await listUsers(f.db)).find((u) => u.email === "eve@example.com");
    if (!eve) throw new Error("eve missing");
    const cookie = cookieHeader(await signInRequest(f.server, "eve@example.com", "a long password!"));
    await changeUserRole(f.db, root, eve.id, "lead");
    const [event] = await auditOf(f.db, "user.role_changed");
    expect(event?.payload).toMatchObject({ from: "reviewer", to: "lead" });
    const { resolvePrincipal } = await import("@/lib/auth/resolve-principal");
    expect(await resolvePrincipal(new Headers({ cookie }))).toMatchObject({ role: "lead" });
    expect(await changeUserRole(f.db, root, eve.id, "lead")).toMatchObject({ changed: false });
    expect(await auditOf(f.db, "user.role_changed")).toHaveLength(1);
  });

  it("protects the last enabled admin from demotion, disabling and deletion (409)", async () => {
    await expect(changeUserRole(f.db, root, rootId, "operator")).rejects.toMatchObject({ code: "conflict" });
    await expect(setUserDisabled(f.db, root, rootId, true)).rejects.toMatchObject({ code: "conflict" });
    const second = await addUser(f.db, "second@example.com", "admin");
    await setUserDisabled(f.db, root, second.id, true);
    // A disabled admin does not count.
    await expect(changeUserRole(f.db, root, rootId, "operator")).rejects.toMatchObject({ code: "conflict" });
    await setUserDisabled(f.db, root, second.id, false);
    await changeUserRole(f.db, root, rootId, "operator");
    const actions = (await auditOf(f.db, "user.disabled")).length + (await auditOf(f.db, "user.enabled")).length;
    expect(actions).toBe(2);
    // Now "second" is the last admin.
    await expect(setUserDisabled(f.db, root, second.id, true)).rejects.toMatchObject({ code: "conflict" });
    await changeUserRole(f.db, root, rootId, "admin");
  });

  it("disabling ends the user's sessions in the same transaction", async () => {
    const u = await addUser(f.db, "temp@example.com", "operator");
    expect((await signInRequest(f.server, "temp@example.com", "correct horse battery")).status).toBe(200);
    expect(await f.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(1);
    await setUserDisabled(f.db, root, u.id, true);
    expect(await f.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(0);
  });

  it("deletes demo users only, with an audit event", async () => {
    const demo = await addUser(f.db, "demo@example.com", "operator", "correct horse battery", { isDemo: true });
    const real = (await listUsers(f.db)).find((u) => u.email === "eve@example.com");
    if (!real) throw new Error("eve missing");
    await expect(deleteDemoUser(f.db, root, real.id)).rejects.toMatchObject({ code: "conflict" });
    await deleteDemoUser(f.db, root, demo.id);
    expect(await f.db.select().from(user).where(eq(user.id, demo.id))).toHaveLength(0);
    const [event] = await auditOf(f.db, "user.deleted");
    expect(event).toMatchObject({ subjectId: demo.id, payload: { email: "demo@example.com" } });
    await expect(deleteDemoUser(f.db, root, demo.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("never leaves zero admins when two admins demote each other at once", async () => {
    const a = await addUser(f.db, "a-admin@example.com", "admin");
    // root + a are the enabled admins (second may still exist: make the set exactly two).
    for (const u of await listUsers(f.db)) {
      if (u.role === "admin" && u.id !== a.id && u.id !== rootId) await changeUserRole(f.db, root, u.id, "operator");
    }
    const results = await Promise.allSettled([
      changeUserRole(f.db, root, a.id, "operator"),
      changeUserRole(f.db, root, rootId, "operator"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const admins = (await listUsers(f.db)).filter((u) => u.role === "admin" && !u.disabled);
    expect(admins).toHaveLength(1);
  });
});
