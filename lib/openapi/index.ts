import "server-only";

export {
  buildOpenApiDocument,
  httpMethods,
  isApiHandler,
  openApiPath,
  operationId,
  permissionExtension,
  type OpenApiDocument,
  type RouteModuleEntry,
} from "./document";
