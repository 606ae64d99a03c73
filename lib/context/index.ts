import "server-only";

export { appContext, type AppContext, type BootState } from "./app-context";
