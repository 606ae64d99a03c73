import { verifyBundleFile } from "@/lib/audit";

/**
 * `npm run audit:verify-bundle -- FILE [--key VERIFIER_KEY]`: checks an evidence bundle
 * (GET /api/audit/export?format=bundle) offline — no database, no environment, no secrets.
 * Without --key the verifier key inside the bundle is trusted; pin the key you obtained
 * independently (GET /api/audit/verifier-key) to rule out a re-signed forgery.
 * Prints the result as JSON; exits 0 when the bundle verifies, 1 when it does not, 2 on usage errors.
 */
async function main(args: string[]): Promise<number> {
  const keyAt = args.indexOf("--key");
  const key = keyAt >= 0 ? args[keyAt + 1] : undefined;
  const file = args.find((a, i) => a !== "--key" && (keyAt < 0 || i !== keyAt + 1));
  if (!file || (keyAt >= 0 && !key)) {
    console.error("usage: npm run audit:verify-bundle -- FILE [--key VERIFIER_KEY]");
    return 2;
  }
  const started = performance.now();
  const result = await verifyBundleFile(file, key);
  console.log(JSON.stringify({ ...result, ms: Math.round(performance.now() - started) }));
  if (!result.ok) {
    console.error(`[flightdeck] bundle REFUSED: ${result.problem}`);
    return 1;
  }
  console.error(
    `[flightdeck] bundle verified: ${result.events} events included in the signed log of size ${result.treeSize}, consistent with the latest checkpoint (size ${result.latestTreeSize})${result.keyPinned ? "" : " — checked against the key inside the bundle; pass --key to pin it"}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[flightdeck] bundle verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
