import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createUser, createUserInput, listUsers } from "@/lib/users";

export const dynamic = "force-dynamic";

/** Every user (admins), ordered by email. */
export const GET = apiRoute({ permission: "users.read" }, async () => ({ users: await listUsers(await getDb()) }));

/** Creates a user (admins); audited as `user.created`. 201 with the user, never the password. */
export const POST = apiRoute({ permission: "users.manage", body: createUserInput }, async ({ body, principal }) => {
  const created = await createUser(await getDb(), principal, body);
  return Response.json(created, { status: 201 });
});
