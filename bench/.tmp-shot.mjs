import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3200";
const role = process.env.ROLE ?? "operator";
const paths = (process.env.PATHS ?? "/runs").split(",");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: process.env.DARK ? "dark" : "light" });
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(base + "/login");
await page.getByLabel("Email").fill(`${role}@flightdeck.local`);
await page.getByLabel("Password").fill("flightdeck-demo");
await page.getByRole("button", { name: /sign in/i }).click();
await page.waitForURL(/\/runs/);
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForTimeout(Number(process.env.WAIT ?? 1500));
  const name = p.replace(/[^a-z0-9]+/gi, "_");
  await page.screenshot({ path: `/tmp/shots/${role}${name}${process.env.DARK ? "_dark" : ""}.png`, fullPage: process.env.FULL === "1" });
  console.log("shot", p);
}
await browser.close();
