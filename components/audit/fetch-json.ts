/** An API error as the routes answer it (lib/http/route.ts). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: { token?: string; suggestion?: string; syntax?: string },
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { cache: "no-store", signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { message?: string; token?: string; suggestion?: string; syntax?: string };
    } | null;
    throw new ApiError(body?.error?.message ?? `Request failed (${res.status})`, res.status, body?.error ?? {});
  }
  return (await res.json()) as T;
}

export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(url, { cache: "no-store", signal });
  if (!res.ok) throw new ApiError(`Request failed (${res.status})`, res.status, {});
  return res.text();
}

/** "2026-11-30 01:45:14.123 CET": absolute, in the viewer's zone, zone named. */
export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
    timeZoneName: "short",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}.${get("fractionalSecond")} ${get("timeZoneName")}`;
}
