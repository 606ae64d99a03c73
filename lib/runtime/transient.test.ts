import { describe, expect, it } from "vitest";
import { isTransientDbError, withTransientRetry } from "./transient";

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe("transient database faults", () => {
  it("classifies deadlocks, serialization failures, terminated and reset connections — also wrapped as a cause", () => {
    for (const code of ["40P01", "40001", "57P01", "57P03", "08006", "08001", "ECONNRESET", "ECONNREFUSED"]) {
      expect(isTransientDbError(pgError(code)), code).toBe(true);
    }
    expect(isTransientDbError(new Error("Failed query: select 1", { cause: pgError("40P01") }))).toBe(true);
    expect(isTransientDbError(new Error("Connection terminated unexpectedly"))).toBe(true);
    for (const code of ["23505", "23503", "42P01", "57014", "22P02"])
      expect(isTransientDbError(pgError(code)), code).toBe(false);
    expect(isTransientDbError(new Error("boom"))).toBe(false);
  });

  it("retries with backoff until it works, rethrows other errors at once, and gives up at the deadline", async () => {
    let calls = 0;
    const value = await withTransientRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw pgError("40001");
        return "done";
      },
      { baseDelayMs: 1 },
    );
    expect([value, calls]).toEqual(["done", 4]);

    let other = 0;
    await expect(
      withTransientRetry(async () => {
        other += 1;
        throw pgError("23505");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(other).toBe(1);

    const started = Date.now();
    await expect(
      withTransientRetry(
        async () => {
          throw pgError("57P01");
        },
        { deadline: new Date(Date.now() + 150), baseDelayMs: 10, maxDelayMs: 20 },
      ),
    ).rejects.toMatchObject({ code: "57P01" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
