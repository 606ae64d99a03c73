import type { DetailView, PageView } from "./types";

export interface CardFilters {
  state?: string;
  kind?: string;
  job?: string;
  severity?: string;
}

export function filtersQuery(filters: CardFilters, limit = 200): string {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export const fetchCards = (filters: CardFilters) => getJson<PageView>(`/api/flashcards?${filtersQuery(filters)}`);
export const fetchCard = (id: string) => getJson<DetailView>(`/api/flashcards/${encodeURIComponent(id)}`);
export const fetchOpenCount = async () => (await getJson<PageView>("/api/flashcards?limit=1")).openCount;
