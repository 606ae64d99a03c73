import "server-only";

export { apiRoute } from "./route";
