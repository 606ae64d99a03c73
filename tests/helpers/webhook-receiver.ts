import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resetEnvCache } from "@/lib/env";
import { verifyWebhook } from "@/lib/webhooks";

export interface ReceivedWebhook {
  id: string | undefined;
  body: string;
  /** The Standard Webhooks signature checked out with the receiver's secret. */
  verified: boolean;
}

export interface WebhookReceiver {
  received: ReceivedWebhook[];
  /** Answer the next `n` deliveries with 503 (a receiver that is down). */
  failNext(n: number): void;
  /** Answer every delivery with this status until changed (null: 204 when verified, else 401). */
  answerWith(status: number | null): void;
  close(): Promise<void>;
}

/**
 * A loopback webhook receiver that verifies signatures as a real one would, pointed at by
 * FLIGHTDECK_WEBHOOK_URL/SECRET for the test file (restored by close()).
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failing = 0;
  let fixed: number | null = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (fixed !== null) return void res.writeHead(fixed).end();
      if (failing > 0) {
        failing -= 1;
        return void res.writeHead(503).end();
      }
      const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null);
      const verified = verifyWebhook(
        secret,
        { id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature") },
        body,
      );
      received.push({ body, verified, id: header("webhook-id") ?? undefined });
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.FLIGHTDECK_WEBHOOK_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  process.env.FLIGHTDECK_WEBHOOK_SECRET = secret;
  resetEnvCache();
  return {
    received,
    failNext: (n) => (failing = n),
    answerWith: (status) => (fixed = status),
    async close() {
      delete process.env.FLIGHTDECK_WEBHOOK_URL;
      delete process.env.FLIGHTDECK_WEBHOOK_SECRET;
      resetEnvCache();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
