import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // The platform's tables, then each domain pack's own tables (server/packs.ts lists the packs).
  schema: ["./db/schema/index.ts", "./domains/support/schema.ts"],
  out: "./drizzle",
});
