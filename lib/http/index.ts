import "server-only";

export { apiRoute } from "./route";
export type { ApiHandler, DescribedSpec } from "./route";
export type { RouteDoc, ResponseDoc } from "./route-doc";
