import { apiRoute } from "@/lib/http";
import { getLiveHub, openLiveStream } from "@/lib/live";

export const dynamic = "force-dynamic";

/**
 * Live updates as server-sent events (text/event-stream): `run`, `flashcard` and `resources`
 * events carrying an id and no data, a `ping` every 15 s, `resync` when notifications may
 * have been missed. The cockpit refetches through the other routes on each event, so what a
 * caller sees is still decided there. Fed by LISTEN/NOTIFY through one hub per process.
 */
export const GET = apiRoute(
  {
    permission: "live.read",
    doc: {
      summary: "Live updates (server-sent events)",
      description:
        "`run`, `flashcard` and `resources` events carrying an id and no data, a `ping` every 15 s, `resync` when notifications may have been missed; refetch through the other routes. 429 past 1,000 streams per process.",
      tags: ["system"],
      responses: {
        200: { description: "The event stream, open until the caller leaves", contentType: "text/event-stream" },
      },
    },
  },
  async ({ request, principal }) => openLiveStream(await getLiveHub(), principal, request.signal),
);
