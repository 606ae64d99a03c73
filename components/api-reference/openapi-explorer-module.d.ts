/** openapi-explorer ships JavaScript without types; importing it defines the <openapi-explorer> element. */
declare module "openapi-explorer";
