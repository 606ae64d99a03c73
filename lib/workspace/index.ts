import "server-only";

export { Workspace, openWorkspace, type WorkspaceEntry, type WorkspaceWriter } from "./workspace";
export { workspacePathComponents } from "./paths";
export { WorkspaceEscapeError, WorkspaceQuotaError } from "./errors";
export { WorkspaceFenceError, assertWorkspaceLease, runLeaseHeld } from "./fence";
export { stateGet, stateSet, stateKeys, STATE_KEY, MAX_STATE_VALUE_BYTES } from "./state";
