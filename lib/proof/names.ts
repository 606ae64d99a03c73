/** Names the proof's configuration and its pack share. */

/** The proof's quota'd tool (calls per minute per fair-share key). */
export const PROOF_TOOL = "lookup_record";

/**
 * Test 1's endpoint: the built-in simulated model. There the model only has to hold a slot,
 * and in-process it costs the least CPU, so what is measured is the runtime.
 */
export const CONTENDED_ENDPOINT = "proof-contended";

/** The other tests' endpoint: the scripted OpenAI-protocol server on 127.0.0.1 (openai-loopback.ts). */
export const SCRIPTED_ENDPOINT = "proof-scripted";

/**
 * The proof's endpoints: the only ones it syncs and its worker claims. Named apart from any
 * deployment's, so `--live` adds them beside the deployment's own and its workers leave them alone.
 */
export const PROOF_ENDPOINTS: readonly string[] = [CONTENDED_ENDPOINT, SCRIPTED_ENDPOINT];

/** The log origin the proof's checkpoints are signed under; a cockpit on a kept database must use it too. */
export const PROOF_LOG_ORIGIN = "flightdeck.local/proof";
