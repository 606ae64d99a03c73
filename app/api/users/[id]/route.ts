import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { updateUser, updateUserInput, userSummarySchema as userSummary } from "@/lib/users";

export const dynamic = "force-dynamic";

/**
 * PATCH /api/users/:id { role?, disabled? } (admins): one transaction, each change audited
 * (`user.role_changed`, `user.disabled` / `user.enabled`); disabling ends the user's
 * sessions and stops their tokens; the last enabled admin cannot be demoted or disabled (409).
 */
export const PATCH = apiRoute(
  {
    permission: "users.manage",
    doc: {
      summary: "Change a user's role or disable them",
      description:
        "One transaction, each change audited; disabling ends the user's sessions and stops their tokens. 409 for the last enabled admin.",
      tags: ["users"],
      responses: { 200: { description: "The user", schema: userSummary } },
      errors: [404, 409],
    },
    body: updateUserInput,
  },
  async ({ params, body, principal }) => updateUser(await getDb(), principal, String(params.id), body),
);
