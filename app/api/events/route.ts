import { apiRoute } from "@/lib/http";
import { getLiveHub, openLiveStream } from "@/lib/live";

export const dynamic = "force-dynamic";

/**
 * Live updates as server-sent events (text/event-stream): `run`, `flashcard` and `resources`
 * events carrying an id and no data, a `ping` every 15 s, `resync` when notifications may
 * have been missed. The cockpit refetches through the other routes on each event, so what a
 * caller sees is still decided there. Fed by LISTEN/NOTIFY through one hub per process.
 */
export const GET = apiRoute({ permission: "live.read" }, async ({ request, principal }) =>
  openLiveStream(await getLiveHub(), principal, request.signal),
);
