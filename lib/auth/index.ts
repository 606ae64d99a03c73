import "server-only";

export { getAuth } from "./auth";
export { currentPrincipal, requirePermission } from "./dal";
export { demoBannerInfo } from "./demo-banner";
export { policy, roleAllows, type Permission } from "./policy";
export { isDefaultDemoPassword, listDemoUsers, seedDemoUsers } from "./seed-demo";
export { principalRole, type Principal } from "@/lib/audit";
export { isEnabledAuthEndpoint } from "./auth-endpoints";
export { assertTrustedAuthOrigin } from "./origins";
