import { verifierKeyResponse } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The note verifier key for checkpoints: <name>+<hex key hash>+<base64(0x01 ‖ public key)>. */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "The checkpoint verifier key",
      description: "The note verifier key: <name>+<hex key hash>+<base64(0x01 ‖ public key)>.",
      tags: ["audit"],
      responses: { 200: { description: "The key", contentType: "text/plain" } },
    },
  },
  async () => verifierKeyResponse(),
);
