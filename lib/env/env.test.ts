import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./index";

describe("environment", () => {
  it("starts with defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.FLIGHTDECK_DATA_DIR).toBe(".data");
    expect(env.FLIGHTDECK_DEMO_PASSWORD).toBe("flightdeck-demo");
    expect(env.FLIGHTDECK_EMBEDDED_RUNTIME).toBe(true);
  });

  it("treats an empty DATABASE_URL as unset (embedded database)", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every invalid variable in one error", () => {
    let caught: unknown;
    try {
      parseEnv({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        FLIGHTDECK_ADMIN_TOKEN: "short",
        FLIGHTDECK_EMBEDDED_RUNTIME: "maybe",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const variables = (caught as EnvError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(["DATABASE_URL", "FLIGHTDECK_ADMIN_TOKEN", "FLIGHTDECK_EMBEDDED_RUNTIME", "PORT"]);
    expect((caught as EnvError).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect((caught as EnvError).message).toMatch(/FLIGHTDECK_ADMIN_TOKEN: must be at least 24 characters/);
  });
});
