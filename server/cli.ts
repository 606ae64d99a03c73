/**
 * `npm run flightdeck -- <command>`: operator commands that work without the web UI.
 *
 *   token create (--role <role> | --scope metrics) --name <name> [--json]   prints the new token once
 *   token list [--json]
 *   token revoke <id>
 *   user create --email <email> --role <role> [--name <name>]   prints a generated password once
 *
 * Exit codes: 0 ok, 1 the command failed, 2 the command line was wrong.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { closeDatabase, getDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { roles, tokenScopes } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { EnvError } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/tokens";
import { createUser } from "@/lib/users";
import { createTokenInput, type CreateTokenInput } from "@/lib/tokens";
import { createUserInput, type CreateUserInput } from "@/lib/users";

const usage = `Usage:
  npm run flightdeck -- token create (--role <${roles.join("|")}> | --scope <${tokenScopes.join("|")}>) --name <name> [--json]
  npm run flightdeck -- token list [--json]
  npm run flightdeck -- token revoke <id>
  npm run flightdeck -- user create --email <email> --role <${roles.join("|")}> [--name <name>]`;

class UsageError extends Error {}

interface Command {
  run(): Promise<void>;
}

function parse(argv: string[]): Command {
  const [group, verb, ...rest] = argv;
  if (group === undefined || group === "help" || group === "--help" || group === "-h") {
    return { run: async () => console.log(usage) };
  }
  if (group === "user") return parseUser(verb, rest);
  if (group !== "token") throw new UsageError(`unknown command "${group}"`);
  if (verb === "create") {
    const { values, positionals } = strictParse(rest, {
      role: { type: "string" },
      scope: { type: "string" },
      name: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const input = validFlags(createTokenInput, { role: values.role, scope: values.scope, name: values.name });
    return { run: () => createToken(input, values.json === true) };
  }
  if (verb === "list") {
    const { values, positionals } = strictParse(rest, { json: { type: "boolean" } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return { run: () => listTokens(values.json === true) };
  }
  if (verb === "revoke") {
    const { positionals } = strictParse(rest, {});
    if (positionals.length !== 1 || !positionals[0]) throw new UsageError("token revoke takes exactly one token id");
    const id = positionals[0];
    return { run: () => revokeToken(id) };
  }
  throw new UsageError(verb === undefined ? "missing token subcommand" : `unknown token subcommand "${verb}"`);
}

function parseUser(verb: string | undefined, rest: string[]): Command {
  if (verb !== "create") {
    throw new UsageError(verb === undefined ? "missing user subcommand" : `unknown user subcommand "${verb}"`);
  }
  const { values, positionals } = strictParse(rest, {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const input = validFlags(createUserInput.omit({ password: true }), {
    email: values.email,
    role: values.role,
    name: values.name ?? (typeof values.email === "string" ? values.email.split("@")[0] : undefined),
  });
  return { run: () => createUserWithGeneratedPassword(input) };
}

/** Flags checked by the same schema as the UI and API, reported by flag name. */
function validFlags<S extends z.ZodType>(schema: S, flags: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = String(issue?.path[0] ?? "input");
  const given = flags[flag];
  if (given === undefined) throw new UsageError(`missing --${flag}`);
  throw new UsageError(`invalid --${flag} "${String(given)}": ${issue?.message ?? "invalid"}`);
}

async function createUserWithGeneratedPassword(input: Omit<CreateUserInput, "password">): Promise<void> {
  // A generated password keeps secrets out of shell history; the user changes it after signing in.
  const password = randomBytes(18).toString("base64url");
  const created = await createUser(await openDb(), cli, { ...input, password });
  console.log(`Created user ${created.email} (role ${created.role}).`);
  console.log("Initial password (shown once):\n");
  console.log(`  ${password}\n`);
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

function strictParse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // node's messages name the offending flag ("Unknown option '--rol'").
    throw new UsageError(error instanceof Error ? (error.message.split(". ")[0] ?? error.message) : String(error));
  }
}

const cli = systemPrincipal("cli", "system:cli");

async function openDb() {
  const handle = await getDatabase();
  await runMigrations(handle);
  return handle.db;
}

async function createToken(input: CreateTokenInput, json: boolean): Promise<void> {
  const created = await createApiToken(await openDb(), cli, input);
  if (json) {
    console.log(JSON.stringify(created));
    return;
  }
  const what = created.scope !== null ? `scope ${created.scope}` : `role ${created.role}`;
  console.log(`Created API token "${created.name}" (${what}, id ${created.id}).`);
  console.log("Copy it now; it is not stored and will not be shown again:\n");
  console.log(`  ${created.token}\n`);
  console.log("Send it as the header  Authorization: Bearer <token>");
}

async function listTokens(json: boolean): Promise<void> {
  const tokens = await listApiTokens(await openDb());
  if (json) {
    console.log(JSON.stringify(tokens));
    return;
  }
  if (tokens.length === 0) {
    console.log("No API tokens.");
    return;
  }
  for (const t of tokens) {
    const state = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? "never"}`;
    console.log(`${t.id}  ${t.prefix}…  ${t.role.padEnd(8)}  ${t.name}  (by ${t.createdBy}, ${t.createdAt}; ${state})`);
  }
}

async function revokeToken(id: string): Promise<void> {
  const revoked = await revokeApiToken(await openDb(), cli, id);
  console.log(`Revoked token ${revoked.id} at ${revoked.revokedAt}.`);
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`flightdeck: ${error.message}\n\n${usage}`);
    return 2;
  }
  try {
    await command.run();
    return 0;
  } catch (error) {
    if (isAppError(error) || error instanceof EnvError) console.error(`flightdeck: ${error.message}`);
    else console.error("flightdeck: command failed:", error);
    return 1;
  } finally {
    await closeDatabase();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
