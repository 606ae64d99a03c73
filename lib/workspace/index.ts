import "server-only";

export { Workspace, openWorkspace, workspacesDir, type WorkspaceEntry } from "./workspace";
export { resolveWorkspacePath, workspacePathComponents, isWithin, type ResolvedWorkspacePath } from "./paths";
export { WorkspaceEscapeError, WorkspaceQuotaError } from "./errors";
export { stateGet, stateSet, stateKeys, STATE_KEY, MAX_STATE_VALUE_BYTES } from "./state";
