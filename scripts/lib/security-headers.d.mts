export function contentSecurityPolicy(options?: { dev?: boolean }): string;
export function securityHeaders(options?: { baseUrl?: string; dev?: boolean }): Record<string, string>;
