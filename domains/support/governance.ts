/** Who owns and authorized the support pack's jobs (every job declares full governance). */
export const supportOwner = "support-platform@acme.example";
export const supportAuthorizer = "jane.doe@acme.example";
export const supportAuthorizedAt = "2026-11-01";
