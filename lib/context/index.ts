import "server-only";

export { appContext, type AppContext, type BootState, type JobRegistryState } from "./app-context";
