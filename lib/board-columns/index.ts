// What the board's columns are, how each reads in order and where its next page starts:
// plain values shared by the server (lib/board) and the browser (components/runs): nothing here may
// pull zod or the schema into the browser bundle (zod probes eval, which the CSP refuses).
export { boardColumnIds, COLUMN_WINDOW, type ColumnId } from "./ids";
export { columnKeyField, cursorAfterRun, decodeCursor, encodeCursor, type ColumnCursor } from "./cursor";
