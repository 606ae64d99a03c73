import "server-only";
export { createApiToken, type CreatedToken } from "./create";
export { listApiTokens, type TokenSummary } from "./list";
export { revokeApiToken } from "./revoke";
export { findActiveToken, type ResolvedToken } from "./resolve";
export { createTokenInput, tokenIdInput, tokenSummarySchema, type CreateTokenInput } from "./schemas";
