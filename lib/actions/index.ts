// The server actions, one module per area, each export a defineAction() (define-action.ts).
// Client components import them from here; tests/auth/action-policy.test.ts walks this
// index and checks that every module in this folder is listed.
export * from "./audit";
export * from "./memory";
export * from "./flashcards";
export * from "./proof";
export * from "./runs";
export * from "./tokens";
export * from "./users";
export * from "./scheduling";
export * from "./webhooks";
export type { ActionResult } from "./define-action";
