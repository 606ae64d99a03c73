import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a WASM Postgres and data files it loads relative to its own module;
  // bundling breaks those paths, so the database drivers stay plain Node requires.
  // prom-client (GET /api/metrics) requires Node built-ins and an optional OpenTelemetry peer at run time: a plain
  // require keeps it exactly as the tests load it.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "croner", "prom-client"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
