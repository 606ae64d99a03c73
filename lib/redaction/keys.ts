/**
 * Which object keys hold secrets. Keys are compared lower-cased with punctuation removed,
 * so apiKey, api_key, API-KEY and x-api-key all match. Suffix rules keep usage counters
 * such as inputTokens or maxTokens and identifiers such as tokenId readable.
 */
const containsRules = ["password", "passwd", "passphrase", "privatekey"];
const suffixRules = [
  "secret",
  "token",
  "apikey",
  "accesskey",
  "secretkey",
  "signingkey",
  "encryptionkey",
  "authorization",
  "cookie",
  "cookies",
  "credential",
  "credentials",
  "bearer",
];
const exactRules = ["pwd", "pass", "dsn"];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isSecretKey(key: string): boolean {
  const k = normaliseKey(key);
  if (k === "") return false;
  return (
    exactRules.includes(k) ||
    containsRules.some((rule) => k.includes(rule)) ||
    suffixRules.some((rule) => k.endsWith(rule))
  );
}
