/**
 * Entity names: `collection/key`. A collection is lower-case (as packs declare them); a key
 * is 1-200 characters of letters, digits and . _ : @ + - (so an email or a ticket id fits).
 */
export const COLLECTION_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const ENTITY_KEY = /^[A-Za-z0-9._:@+-]{1,200}$/;

export interface EntityRef {
  collection: string;
  key: string;
}

export class MalformedEntityError extends Error {
  constructor(readonly entity: string) {
    super(
      `malformed entity name "${entity.slice(0, 120)}": expected collection/key (collection: a-z 0-9 _ -, starting with a letter; key: 1-200 of A-Z a-z 0-9 . _ : @ + -)`,
    );
    this.name = "MalformedEntityError";
  }
}

export function parseEntity(entity: string): EntityRef {
  const slash = entity.indexOf("/");
  if (slash < 0) throw new MalformedEntityError(entity);
  const collection = entity.slice(0, slash);
  const key = entity.slice(slash + 1);
  if (!COLLECTION_NAME.test(collection) || !ENTITY_KEY.test(key)) throw new MalformedEntityError(entity);
  return { collection, key };
}

export function entityName(ref: EntityRef): string {
  return `${ref.collection}/${ref.key}`;
}
