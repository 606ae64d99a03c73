export * from "./auth";
export * from "./api-tokens";
export * from "./settings";
export * from "./audit";
export * from "./jobs";
export * from "./runs";
