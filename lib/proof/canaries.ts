import { randomBytes } from "node:crypto";

/**
 * Canary secrets: fresh per run of the proof, planted where a secret really lives (the model
 * endpoint's key in the environment, a run input under a secret key, a token-shaped string a
 * hostile model sends out) and then searched for everywhere. Any hit is a leak.
 */
export interface Canaries {
  /** The scripted endpoint's API key (FLIGHTDECK_MODEL_ENDPOINTS): a secret by where it is configured, no token shape. */
  envKey: string;
  /** A run input field under a secret-looking key (`apiKey`). */
  inputSecret: string;
  /** A provider-key-shaped string (`sk-…`) the hostile model tries to exfiltrate. */
  tokenShaped: string;
}

export function newCanaries(): Canaries {
  const hex = () => randomBytes(12).toString("hex");
  return {
    envKey: `proofcanaryenv${hex()}`,
    inputSecret: `proofcanaryinput${hex()}`,
    tokenShaped: `sk-proofcanary${hex()}`,
  };
}

export function canaryValues(c: Canaries): string[] {
  return [c.envKey, c.inputSecret, c.tokenShaped];
}

/** Occurrences of any canary in a text. */
export function countCanaries(text: string, c: Canaries): number {
  return Object.values(canaryCounts(text, c)).reduce((a, b) => a + b, 0);
}

/** Occurrences of each canary in a text, by name. */
export function canaryCounts(text: string, c: Canaries): Record<keyof Canaries, number> {
  const count = (value: string) => {
    let hits = 0;
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) hits++;
    return hits;
  };
  return { envKey: count(c.envKey), inputSecret: count(c.inputSecret), tokenShaped: count(c.tokenShaped) };
}
