/**
 * Chart theme: colours are the app's CSS variables (app/globals.css), so every recharts chart
 * follows the light and dark themes. Fills are the solid semantic colours (3:1 or better against
 * the surface in both themes); the soft and border tones are for grid lines only.
 */
export const chartColors = {
  succeeded: "var(--color-success)",
  failed: "var(--color-danger)",
  other: "var(--color-muted)",
  primary: "var(--color-accent)",
  secondary: "var(--color-info)",
  warning: "var(--color-warning)",
  grid: "var(--color-border)",
  reference: "var(--color-border-strong)",
} as const;

/** Several series (keys, endpoints) in turn. */
export const seriesColors = [
  "var(--color-accent)",
  "var(--color-warning)",
  "var(--color-success)",
  "var(--color-danger)",
  "var(--color-violet-text)",
  "var(--color-info)",
];

export const axisTick = { stroke: "var(--color-muted)", fontSize: 11 };

export const tooltipStyle = {
  background: "var(--color-surface-raised)",
  border: "1px solid var(--color-border)",
  color: "var(--color-foreground)",
  fontSize: 12,
};

export const legendStyle = { fontSize: 11 };

/** Legend labels in the text colour (the swatch carries the series colour): readable in both themes. */
export function legendLabel(value: unknown) {
  return <span style={{ color: "var(--color-foreground)" }}>{String(value)}</span>;
}
