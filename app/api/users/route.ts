import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createUser, createUserInput, listUsers, userSummarySchema as userSummary } from "@/lib/users";

export const dynamic = "force-dynamic";

/** Every user (admins), ordered by email. */
export const GET = apiRoute(
  {
    permission: "users.read",
    doc: {
      summary: "List users",
      description: "Ordered by email.",
      tags: ["users"],
      responses: { 200: { description: "The users", schema: z.object({ users: z.array(userSummary) }) } },
    },
  },
  async () => ({ users: await listUsers(await getDb()) }),
);

/** Creates a user (admins); audited as `user.created`. 201 with the user, never the password. */
export const POST = apiRoute(
  {
    permission: "users.manage",
    doc: {
      summary: "Create a user",
      description: "Audited as `user.created`; the answer never carries the password.",
      tags: ["users"],
      responses: { 201: { description: "The user", schema: userSummary } },
      errors: [409],
    },
    body: createUserInput,
  },
  async ({ body, principal }) => {
    const created = await createUser(await getDb(), principal, body);
    return Response.json(created, { status: 201 });
  },
);
