// Client-safe (no "server-only"): used by client components.

export { cn } from "./cn";
