import "server-only";
import { appContext } from "@/lib/context";
import type { MemoryCollection } from "./collection-types";
import { COLLECTION_NAME } from "./entity";

declare module "@/lib/context/app-context" {
  interface AppContext {
    /** Shared-memory collections declared by the installed packs (this module owns it). */
    memoryCollections?: Map<string, MemoryCollection>;
  }
}

function registry(): Map<string, MemoryCollection> {
  return (appContext().memoryCollections ??= new Map());
}

/** Packs' collections, installed at start-up (lib/packs). A later install replaces by name. */
export function registerCollections(collections: readonly MemoryCollection[]): void {
  for (const collection of collections) {
    if (!COLLECTION_NAME.test(collection.name)) throw new Error(`invalid collection name "${collection.name}"`);
    registry().set(collection.name, collection);
  }
}

export function getCollection(name: string): MemoryCollection | undefined {
  return registry().get(name);
}

export function listCollections(): MemoryCollection[] {
  return [...registry().values()].sort((a, b) => a.name.localeCompare(b.name));
}
