/**
 * Where to go after signing in. Only same-site paths are honoured ("/runs?x=1"); anything
 * that could leave the site ("//evil.example", "https://…", "/\\evil") falls back to /runs,
 * so a crafted link cannot use the login page as an open redirect.
 */
export function safeNext(next: string | string[] | null | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/runs";
  if (/[\u0000-\u001f]/.test(value)) return "/runs";
  if (value === "/login" || value.startsWith("/login?") || value.startsWith("/login/")) return "/runs";
  return value;
}
