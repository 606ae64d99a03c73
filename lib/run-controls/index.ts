// Client-safe (no "server-only"): the cockpit and the server share these rules.
export { allowedControls, runControls, stateAllows, type ControlledRun, type RunControl } from "./rules";
