import type { z } from "zod";

/** A shared-memory collection as a domain pack declares it: values must pass `schema`. */
export interface MemoryCollection {
  name: string;
  description: string;
  schema: z.ZodType;
}
