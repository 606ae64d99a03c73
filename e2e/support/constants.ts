export const e2eAdminToken = "e2e-bootstrap-admin-token-0123456789abcdef";
export const demoPassword = "flightdeck-demo";
export const demoRoles = ["admin", "operator", "reviewer", "lead"] as const;
export type DemoRole = (typeof demoRoles)[number];
export const demoEmail = (role: DemoRole) => `${role}@flightdeck.local`;
