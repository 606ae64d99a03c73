import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// Layer boundaries (docs/ARCHITECTURE.md): app → components → lib → db; server/ (the
// composition root) and domains/ (packs) sit beside app; lib never reaches up.
const upward = (layers, why) => layers.map((layer) => ({ group: [`@/${layer}`, `@/${layer}/*`], message: why }));
// Outside lib/, each lib area is used through its index.ts only.
const libIndexOnly = {
  group: ["@/lib/*/*"],
  message: "Import the area's index (@/lib/<area>); its internals are private to lib/.",
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "bench/.tmp/**",
      "next-env.d.ts",
    ],
  },
  {
    plugins: { drizzle },
    rules: {
      // A forgotten WHERE on an UPDATE or DELETE rewrites a whole table.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Import cycles between files (import-x follows value imports; `import type` is erased at build).
  {
    files: ["**/*.{ts,tsx,mts}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
      "import-x/extensions": [".ts", ".tsx", ".mts", ".js", ".mjs"],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  // Type-aware rules (typescript-eslint project service).
  {
    files: ["**/*.{ts,tsx,mts}"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
    },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...upward(["app", "server", "domains"], "components/ never import app/, server/ or domains/."),
            libIndexOnly,
          ],
        },
      ],
    },
  },
  {
    files: ["app/**", "server/**", "domains/**", "bench/**", "proxy.ts", "instrumentation.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [libIndexOnly] }] },
  },
  {
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: upward(
            ["app", "components", "domains", "server"],
            "lib/ never imports app/, components/, domains/ or server/.",
          ),
        },
      ],
    },
  },
  {
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...upward(["app", "components", "domains", "server"], "db/ is the bottom layer."),
            { regex: "^@/lib/(?!env$|env/|governance$)", message: "db/ imports nothing of lib/ but lib/env." },
            // The runs table types its governance snapshot from the job schema's type (type import only).
            {
              regex: "^@/lib/governance$",
              allowTypeImports: true,
              message: "db/ may only type-import the governance type.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
