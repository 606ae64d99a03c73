import { describe, expect, it } from "vitest";
import { publicUrl, readyLine } from "@/scripts/lib/serve.mjs";

describe("the last line npm start prints", () => {
  it("points at FLIGHTDECK_BASE_URL, else localhost, and says when sign-in from the address needs the variable", () => {
    expect(publicUrl({ host: "127.0.0.1", port: 3000 })).toEqual({ url: "http://localhost:3000", note: "" });
    expect(publicUrl({ host: "127.0.0.1", port: 3000, baseUrl: "https://fd.example.com/" })).toEqual({
      url: "https://fd.example.com",
      note: "",
    });
    const everywhere = publicUrl({ host: "0.0.0.0", port: 3000 });
    expect(everywhere.url).toBe("http://localhost:3000");
    expect(everywhere.note).toContain("set FLIGHTDECK_BASE_URL");
    expect(publicUrl({ host: "10.0.0.5", port: 8080 })).toEqual({
      url: "http://10.0.0.5:8080",
      note: "; sign-in there needs FLIGHTDECK_BASE_URL=http://10.0.0.5:8080",
    });
  });

  it("names the demo sign-in, never a password someone chose", () => {
    const base = { url: "http://localhost:3000", note: "", elapsedMs: 52_340 };
    expect(readyLine({ ...base, demo: { email: "lead@flightdeck.local", password: "flightdeck-demo" } })).toBe(
      "Flightdeck is ready in 52.3 s — open http://localhost:3000 and sign in as lead@flightdeck.local / flightdeck-demo",
    );
    expect(readyLine({ ...base, demo: { email: "lead@flightdeck.local", password: null } })).toContain(
      "sign in as lead@flightdeck.local / the value of FLIGHTDECK_DEMO_PASSWORD",
    );
    expect(readyLine({ ...base, demo: null })).toContain("no demo users: create an admin with npm run flightdeck");
    expect(
      readyLine({
        ...base,
        note: "; from another machine, set FLIGHTDECK_BASE_URL",
        demo: { email: "a@b", password: "p" },
      }),
    ).toMatch(/sign in as a@b \/ p; from another machine, set FLIGHTDECK_BASE_URL$/);
  });
});
