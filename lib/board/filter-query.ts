import "server-only";
import { z } from "zod";
import { runStates } from "@/db/schema/runs";
import { timeRangeSchema } from "@/lib/time-range";

/**
 * The board's filters and time range as an API query (GET /api/board, GET /api/board/columns/{column}):
 * the same names as the board's URL. Unlike the page, which drops a hand-edited value it
 * does not know, the API answers 400 naming it.
 */
export const boardFilterQuery = z.strictObject({
  job: z.string().min(1).max(200).optional(),
  owner: z.string().min(1).max(200).optional(),
  risk: z.enum(["minimal", "limited", "high"]).optional(),
  state: z.enum(runStates).optional(),
  /** Done's window (lib/time-range); default 24h. */
  range: timeRangeSchema.optional(),
});
