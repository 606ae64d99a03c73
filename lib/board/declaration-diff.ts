import "server-only";

export interface DeclarationChange {
  /** Dotted path, e.g. "governance.riskLevel" or "agent.tools". */
  path: string;
  before: unknown;
  after: unknown;
}

const MAX_CHANGES = 40;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed between two stored versions of a declaration, leaf by leaf. Arrays are
 * compared whole ("agent.tools: [a] → [a, b]") because their items have no stable keys.
 */
export function diffDeclarations(before: unknown, after: unknown): DeclarationChange[] {
  const changes: DeclarationChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (changes.length >= MAX_CHANGES) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(a[key], b[key], path ? `${path}.${key}` : key);
      return;
    }
    if (!same(a, b)) changes.push({ path: path || "(declaration)", before: a, after: b });
  };
  walk(before, after, "");
  return changes;
}
