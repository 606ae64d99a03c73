// Adds lockfile entries for other platforms' optional native packages (next's SWC,
// Tailwind's oxide, the unrs resolver). The registry mirror reachable here serves only
// some platforms, so `npm install` cannot record the rest, and `npm ci` then refuses the
// lockfile as out of sync. Entries carry only version/os/cpu/libc: npm ci skips them on
// this platform and would fetch them normally elsewhere. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;
const families = [/^@next\/swc-/, /^@tailwindcss\/oxide-/, /^@unrs\/resolver-binding-/];
const osNames = ["darwin", "win32", "android", "freebsd", "linux", "openharmony"];
const cpuNames = ["arm64", "x64", "ia32", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "arm"];

function platformOf(name) {
  const tokens = name.split("/")[1].split("-");
  const os = tokens.find((t) => osNames.includes(t));
  const cpu = tokens.find((t) => cpuNames.includes(t));
  const libc = tokens.some((t) => t.startsWith("musl"))
    ? "musl"
    : tokens.some((t) => t === "gnu" || t.startsWith("gnueabi"))
      ? "glibc"
      : undefined;
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc: [libc] } : {}) };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!families.some((f) => f.test(dep))) continue;
    const prefix = location === "" ? "" : `${location}/`;
    const candidates = [`${prefix}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    packages[`node_modules/${dep}`] = { version: range.replace(/^[\^~=]/, ""), optional: true, ...platformOf(dep) };
    added += 1;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`lockfile: added ${added} platform entries`);
