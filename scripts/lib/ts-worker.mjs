// Entry of a worker thread that runs one TypeScript module of this repository (path
// aliases and the react-server condition included): the module named by workerData.file.
// Used by lib/audit/verify-guard.ts to verify the audit chain off the server's event loop.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.file);
