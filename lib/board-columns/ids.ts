/** The kanban's columns. "attention" = failed or timed out and not retried; "done" = finished in the Done window. */
export const boardColumnIds = ["queued", "running", "waiting", "paused", "attention", "done"] as const;
export type ColumnId = (typeof boardColumnIds)[number];

/**
 * Runs per column in the board's first answer and in each further page. Eight cards fill a
 * column on a laptop; forty keep a fast scroll fed while a 50,000-run board's page stays
 * under 500 KB.
 */
export const COLUMN_WINDOW = 40;
