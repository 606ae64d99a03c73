import { cockpitCommand, dropCommand, testsLabel } from "./kept-commands";
import type { ProofReport } from "./report-types";

/**
 * What `npm run proof` prints last: with --keep, for each kept database the command that opens
 * a cockpit on it (with the server URL as given: the reader's own terminal), how to sign in
 * and how to remove it; without, that nothing was kept.
 */
export function keptInstructions(report: ProofReport, serverUrl: string | undefined): string {
  if (report.target === "live")
    return "Live (--live): the report's evidence paths open in the deployment's own cockpit; the proof's runs and events stay there, its jobs are marked removed.\n";
  if (!report.databases.kept)
    return "The scratch databases were removed; run with --keep to follow the report's evidence paths into a cockpit.\n";
  const form = { serverUrl, mask: false };
  const lines = [
    `Kept databases (--keep) — the report's evidence paths open in a cockpit on each; run these from the repository's directory:`,
  ];
  for (const d of report.databases.list) {
    lines.push(
      `  ${d.name} (${testsLabel(d.tests)}): ${d.kind === "postgres" ? `Postgres database ${d.database ?? ""}, keys and anchors in ${d.dataDir}` : `embedded PGlite in ${d.dataDir}/pglite`}`,
      `    open:    ${cockpitCommand(d, form)}`,
      `             then http://127.0.0.1:${d.port}`,
      `    sign in: ${d.signIn.users.map((u) => `${u.email} (${u.role})`).join(", ")}`,
      `             password ${d.signIn.password === null ? "the value FLIGHTDECK_DEMO_PASSWORD had for this run" : `"${d.signIn.password}"`}`,
      `    remove:  ${dropCommand(d, form)}`,
    );
  }
  lines.push(
    "The cockpits run nothing (FLIGHTDECK_EMBEDDED_RUNTIME=false); their first start builds the app if needed. The tampered copy of test 3 was removed.",
  );
  return `${lines.join("\n")}\n`;
}
