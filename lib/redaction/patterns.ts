/** A shape of secret found inside free text, and what replaces it. */
export interface RedactionPattern {
  name: string;
  pattern: RegExp;
  /** String.replace replacement; "$1" keeps a non-secret prefix such as "Bearer ". */
  replacement: string;
}

export const REDACTED = "[REDACTED]";

export const defaultPatterns: readonly RedactionPattern[] = [
  {
    name: "private-key-block",
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
    replacement: REDACTED,
  },
  { name: "bearer", pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `$1${REDACTED}` },
  { name: "basic-auth", pattern: /\b(Basic\s+)[A-Za-z0-9+/]{8,}={0,2}/g, replacement: `$1${REDACTED}` },
  // user:password@ inside any URL (database URLs, webhooks).
  {
    name: "url-credentials",
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]+@/gi,
    replacement: `$1${REDACTED}@`,
  },
  // OpenAI / Anthropic style keys (sk-..., sk-proj-..., sk-ant-...).
  { name: "sk-key", pattern: /\bsk-[A-Za-z0-9_-]{20,}/g, replacement: REDACTED },
  // Flightdeck API tokens.
  { name: "flightdeck-token", pattern: /\bfd_[A-Za-z0-9_-]{20,}/g, replacement: REDACTED },
  { name: "github-token", pattern: /\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}/g, replacement: REDACTED },
  { name: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replacement: REDACTED },
  { name: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replacement: REDACTED },
  {
    name: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    replacement: REDACTED,
  },
];
