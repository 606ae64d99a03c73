import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listProofRuns, startProofRun } from "@/lib/proof-runs";
import { proofRunSchema } from "./schema";

export const dynamic = "force-dynamic";

/** Proofs started from the cockpit, newest first (GET), and starting one (POST, admins). */
export const GET = apiRoute(
  {
    permission: "proof.read",
    doc: {
      summary: "Proof runs started from the cockpit",
      description:
        "Every `npm run proof` started from /proof or POST /api/proof/runs, newest first (at most 50): mode, status, who started it, verdicts of the three tests and how many claims passed.",
      tags: ["proof"],
      responses: { 200: { description: "The history", schema: z.object({ runs: z.array(proofRunSchema) }) } },
    },
  },
  async () => ({ runs: listProofRuns() }),
);

export const POST = apiRoute(
  {
    permission: "proof.run",
    body: z.strictObject({
      mode: z.enum(["smoke", "full"]).describe("smoke: reduced sizes, about a minute; full: the sizes of the report"),
    }),
    doc: {
      summary: "Run the proof",
      description:
        "Starts `npm run proof` in the background against scratch databases (never this deployment's data), at low CPU priority. One at a time: 409 while another runs. Follow it with GET /api/proof/runs/{id}.",
      tags: ["proof"],
      responses: { 202: { description: "Started", schema: z.object({ id: z.string() }) } },
      errors: [400, 409],
    },
  },
  async ({ body, principal }) =>
    Response.json(await startProofRun(await getDb(), principal, body.mode), { status: 202 }),
);
