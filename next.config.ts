import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a WASM Postgres and data files it loads relative to its own module;
  // bundling breaks those paths, so the database drivers stay plain Node requires.
  // The MCP SDK spawns stdio servers and carries server-side code (express, hono) the client never uses:
  // required at run time rather than bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "croner", "@modelcontextprotocol/sdk"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
