/**
 * Next.js calls register() once per server process before it serves requests. The
 * Node runtime boots Flightdeck: env, migrations, registry, seeds, embedded runtime.
 * NEXT_RUNTIME is set by Next itself, so it is read here rather than via lib/env.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootOrExit } = await import("./server/boot");
  await bootOrExit();
}
