import "server-only";
import { appContext } from "@/lib/context";
import type { MemoryCollection } from "./collection-types";
import { COLLECTION_NAME } from "./entity";

/** Packs' collections, installed at start-up (lib/packs). A later install replaces by name. */
export function registerCollections(collections: readonly MemoryCollection[]): void {
  for (const collection of collections) {
    if (!COLLECTION_NAME.test(collection.name)) throw new Error(`invalid collection name "${collection.name}"`);
    appContext().memoryCollections.set(collection.name, collection);
  }
}

export function getCollection(name: string): MemoryCollection | undefined {
  return appContext().memoryCollections.get(name);
}

export function listCollections(): MemoryCollection[] {
  return [...appContext().memoryCollections.values()].sort((a, b) => a.name.localeCompare(b.name));
}
