import { test as base, expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { ResponseValidator, type OpenApiDoc } from "./openapi";

/**
 * `test` with the `request` and `page` fixtures watched: every answer from /api/… that a
 * spec receives through them is checked against GET /api/openapi.json when the test ends
 * (e2e/support/openapi.ts): a described operation's JSON body must match the schema of
 * its status, and a JSON answer with a status the document does not describe fails too.
 * Specs opt in by importing `test` from here instead of @playwright/test.
 */

let shared: Promise<ResponseValidator> | undefined;

function validatorFor(baseURL: string): Promise<ResponseValidator> {
  shared ??= fetch(new URL("/api/openapi.json", baseURL)).then(async (response) => {
    if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
    return new ResponseValidator((await response.json()) as OpenApiDoc);
  });
  return shared;
}

const requestMethods = new Set(["fetch", "get", "post", "put", "patch", "delete", "head"]);

function methodOf(name: string, args: unknown[]): string {
  if (name !== "fetch") return name.toUpperCase();
  const options = args[1] as { method?: string } | undefined;
  return (options?.method ?? "GET").toUpperCase();
}

async function checkAnswer(
  validator: ResponseValidator,
  method: string,
  url: string,
  status: number,
  contentType: string,
  body: () => Promise<string>,
): Promise<string[]> {
  const { pathname } = new URL(url);
  if (!pathname.startsWith("/api/") || !validator.operationOf(method, pathname)) return [];
  // Only JSON bodies are schema-checked; a stream (server-sent events) would never end.
  if (!contentType.includes("application/json")) return validator.check(method, pathname, status, contentType, "");
  let text: string;
  try {
    text = await body();
  } catch {
    // A page navigated away or a redirect: the browser kept no body to check.
    return [];
  }
  return validator.check(method, pathname, status, contentType, text);
}

export const test = base.extend({
  // The fixture callback is named `provide`, not `use`: the React hooks lint rule claims any `use(…)` call.
  request: async ({ request, baseURL }, provide) => {
    const validator = await validatorFor(baseURL ?? "");
    const checks: Promise<string[]>[] = [];
    const watched = new Proxy(request, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        const fn = value as (...args: unknown[]) => unknown;
        if (typeof prop !== "string" || !requestMethods.has(prop)) return fn.bind(target);
        return async (...args: unknown[]) => {
          const response = (await fn.apply(target, args)) as APIResponse;
          checks.push(
            checkAnswer(
              validator,
              methodOf(prop, args),
              response.url(),
              response.status(),
              response.headers()["content-type"] ?? "",
              () => response.text(),
            ),
          );
          return response;
        };
      },
    }) as APIRequestContext;
    await provide(watched);
    const findings = (await Promise.all(checks)).flat();
    expect(findings, "API answers that do not match /api/openapi.json").toEqual([]);
  },
  page: async ({ page, baseURL }, provide) => {
    const validator = await validatorFor(baseURL ?? "");
    const checks: Promise<string[]>[] = [];
    const origin = new URL(baseURL ?? "http://127.0.0.1").origin;
    page.on("response", (response) => {
      if (new URL(response.url()).origin !== origin) return;
      checks.push(
        checkAnswer(
          validator,
          response.request().method(),
          response.url(),
          response.status(),
          response.headers()["content-type"] ?? "",
          () => response.text(),
        ),
      );
    });
    await provide(page);
    const findings = (await Promise.all(checks)).flat();
    expect(findings, "API answers the pages received that do not match /api/openapi.json").toEqual([]);
  },
});

export { expect };
