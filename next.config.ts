import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a WASM Postgres and data files it loads relative to its own module;
  // bundling breaks those paths, so the database drivers stay plain Node requires.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "croner"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
