import { z } from "zod";

/** `runs`: comma-separated run ids, 1 to 200 of them. */
export const waitPositionsQuery = z.object({
  runs: z
    .string()
    .transform((value) => [
      ...new Set(
        value
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(64)).min(1, "give at least one run id").max(200, "at most 200 run ids")),
});
