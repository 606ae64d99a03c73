import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Checks real answers against the OpenAPI document (GET /api/openapi.json): the JSON body
 * of a described operation must match the response schema of its status, and a JSON
 * answer with a status the operation does not describe is a finding too. Used by the
 * vitest OpenAPI test and by the Playwright fixture (e2e/support/fixtures.ts).
 */

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

interface Template {
  path: string;
  regex: RegExp;
  literals: number;
}

function compileTemplate(path: string, restLast: boolean): Template {
  const segments = path.split("/");
  const source = segments
    .map((segment, i) => {
      if (!/^\{[^}]+\}$/.test(segment)) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return restLast && i === segments.length - 1 ? ".+" : "[^/]+";
    })
    .join("/");
  return { path, regex: new RegExp(`^${source}$`), literals: segments.filter((s) => !s.startsWith("{")).length };
}

export class ResponseValidator {
  private readonly ajv: Ajv2020;
  private readonly templates: Template[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDoc) {
    // strict: false because the document root carries OpenAPI keywords beside the schemas.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, "openapi.json");
    const paths = Object.keys(doc.paths);
    // Exact segments first, then a trailing parameter that spans segments ({path} of a workspace file).
    this.templates = [
      ...paths.map((p) => compileTemplate(p, false)).sort((a, b) => b.literals - a.literals),
      ...paths.filter((p) => p.endsWith("}")).map((p) => compileTemplate(p, true)),
    ];
  }

  /** The document's path template an answer to this path and method belongs to, if any. */
  operationOf(method: string, pathname: string): { path: string; operation: Operation } | null {
    const lower = method.toLowerCase();
    for (const template of this.templates) {
      const operation = this.doc.paths[template.path]?.[lower];
      if (operation && template.regex.test(pathname)) return { path: template.path, operation };
    }
    return null;
  }

  /**
   * Problems with one answer, or [] when it matches. Non-JSON answers are checked only
   * for a described status (bodies of other media types are not schema-checked).
   */
  check(method: string, pathname: string, status: number, contentType: string, body: string): string[] {
    const found = this.operationOf(method, pathname);
    if (!found) return [];
    const label = `${method} ${pathname} → ${status} (${found.path})`;
    const isJson = contentType.includes("application/json");
    const response = found.operation.responses[String(status)];
    if (!response) return isJson ? [`${label}: status not described`] : [];
    if (!isJson) return [];
    const media = response.content?.["application/json"];
    if (!media) return [`${label}: JSON answer where the document describes ${Object.keys(response.content ?? {})}`];
    const key = `${found.path} ${method} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const pointer = ["paths", found.path, method.toLowerCase(), "responses", String(status), "content"]
        .map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1"))
        .join("/");
      validate = this.ajv.compile({ $ref: `openapi.json#/${pointer}/application~1json/schema` });
      this.compiled.set(key, validate);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${label}: body is not JSON`];
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).map((e) => `${label}: ${e.instancePath || "/"} ${e.message ?? ""}`);
  }
}
