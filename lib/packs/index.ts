import "server-only";

export { definePack, type DomainPack } from "./domain-pack";
export { installPacks } from "./install";
