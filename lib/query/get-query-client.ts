import { QueryClient, defaultShouldDehydrateQuery, environmentManager } from "@tanstack/react-query";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // With SSR the first render already has the data; a short stale time stops the
        // client from refetching it immediately on hydration.
        staleTime: 5_000,
      },
      dehydrate: {
        // Also stream queries still pending on the server, so prefetches started in a
        // server component are not thrown away.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/**
 * On the server every request gets its own client (no data leaks between users). In the
 * browser one client lives for the whole session; creating a new one on each render would
 * drop the cache whenever React suspends during the first render.
 */
export function getQueryClient(): QueryClient {
  if (environmentManager.isServer()) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
