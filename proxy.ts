import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends browsers without a session cookie to /login?next=… before a cockpit page renders.
 * A convenience only: it checks that a cookie is present, not that it is valid, and every
 * page, action and route still authorizes through lib/auth/dal.ts.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Automation sends bearer tokens; pages judge those themselves.
  if (getSessionCookie(request) !== null || request.headers.has("authorization")) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/login";
  url.search = "";
  if (pathname !== "/") url.searchParams.set("next", `${pathname}${search}`);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except the API, the login page, Next's assets and files with an extension.
  matcher: ["/((?!api/|api$|_next/|login(?:/|$)|.*\\.[A-Za-z0-9]+$).*)"],
};
