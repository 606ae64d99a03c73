import "server-only";
import { logger } from "@/lib/log";
import { sanitizeError } from "@/lib/errors/sanitize";
import type { Queryable } from "@/db/client";
import { csvRow, textStream } from "@/lib/utils";
import { EXPORT_CAP, RUN_CSV_COLUMNS, exportRunRows, runCsvValues, type RunListQuery } from "./run-list";

async function* csvLines(db: Queryable, query: RunListQuery): AsyncGenerator<string> {
  yield csvRow(RUN_CSV_COLUMNS);
  let rows = 0;
  for await (const batch of exportRunRows(db, query)) {
    rows += batch.length;
    yield batch.map((r) => csvRow(runCsvValues(r))).join("");
  }
  // A truncated file says so in itself, not only in a header a spreadsheet drops.
  if (rows >= EXPORT_CAP) yield csvRow([`# truncated at ${EXPORT_CAP} runs: narrow the filters`]);
}

/** The list view's runs as CSV, streamed, newest first unless the query says otherwise. */
export function runsCsvResponse(db: Queryable, query: RunListQuery): Response {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(
    textStream(csvLines(db, query), (error) =>
      logger("error", "runs export failed mid-stream", { error: sanitizeError(error) }),
    ),
    {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="flightdeck-runs-${stamp}.csv"`,
        "cache-control": "no-store",
      },
    },
  );
}
