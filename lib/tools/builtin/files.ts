import "server-only";
import { z } from "zod";
import { toolRedactor } from "../redactor";
import { defineTool } from "../types";

const workspacePath = z
  .string()
  .min(1)
  .max(1024)
  .describe("Path relative to the run's workspace, e.g. drafts/reply.md");

export const readFileTool = defineTool({
  name: "read_file",
  description: "Read a UTF-8 text file from this run's workspace.",
  input: z.strictObject({ path: workspacePath }),
  sideEffect: "none",
  dataCategories: ["workspace"],
  async execute({ path }, ctx) {
    const ws = await ctx.workspace();
    return ws.readFile(path, ctx.maxOutputBytes);
  },
});

export const writeFileTool = defineTool({
  name: "write_file",
  description:
    "Create or replace a UTF-8 text file in this run's workspace (parent folders are created). Secrets in the content are replaced before it is stored.",
  input: z.strictObject({ path: workspacePath, content: z.string().max(5 * 1024 * 1024) }),
  sideEffect: "workspace",
  // Files live in the database: the write commits with the call's result, fenced by the lease.
  writes: "database",
  dataCategories: ["workspace"],
  async execute({ path, content }, ctx) {
    const ws = await ctx.workspace();
    // Secrets never rest in a workspace: taken out before the bytes are stored, as from every other row.
    const stored = toolRedactor().redactString(content);
    const written = await ws.writeFile(path, stored);
    return stored === content
      ? written
      : { ...written, redacted: "secrets in the content were replaced before storing" };
  },
});

export const listFilesTool = defineTool({
  name: "list_files",
  description: "List files and folders in this run's workspace (recursively by default).",
  input: z.strictObject({
    path: workspacePath.optional().describe("Folder to list; defaults to the workspace root"),
    recursive: z.boolean().optional(),
  }),
  sideEffect: "none",
  dataCategories: ["workspace"],
  async execute({ path, recursive }, ctx) {
    const ws = await ctx.workspace();
    return ws.list(path ?? ".", recursive ?? true);
  },
});

export const deleteFileTool = defineTool({
  name: "delete_file",
  description: "Delete a file from this run's workspace.",
  input: z.strictObject({ path: workspacePath }),
  sideEffect: "workspace",
  writes: "database",
  dataCategories: ["workspace"],
  async execute({ path }, ctx) {
    const ws = await ctx.workspace();
    return ws.deleteFile(path);
  },
});
