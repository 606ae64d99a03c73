// Client-safe (no "server-only"): used by client components.

export { getQueryClient } from "./get-query-client";
