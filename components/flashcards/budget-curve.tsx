/** Cumulative tokens per turn against the run's token budget (the 80% line is where a budget card is raised). */
export function BudgetCurve({ curve, budget }: { curve: { turn: number; tokens: number }[]; budget: number }) {
  const width = 320;
  const height = 80;
  if (curve.length === 0) return <p className="text-xs text-muted">No completed turns yet.</p>;
  const maxTurn = Math.max(curve.length, 1);
  const top = Math.max(budget, curve.at(-1)?.tokens ?? 0);
  const x = (i: number) => (i / maxTurn) * width;
  const y = (tokens: number) => height - (tokens / top) * height;
  const points = [`0,${height}`, ...curve.map((p, i) => `${x(i + 1).toFixed(1)},${y(p.tokens).toFixed(1)}`)].join(" ");
  const last = curve.at(-1)?.tokens ?? 0;
  return (
    <figure className="flex flex-col gap-1">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-20 w-full max-w-sm"
        role="img"
        aria-label={`Tokens used: ${last} of ${budget} over ${curve.length} turns`}
      >
        <line
          x1="0"
          x2={width}
          y1={y(budget * 0.8)}
          y2={y(budget * 0.8)}
          className="stroke-warning"
          strokeDasharray="4 3"
          strokeWidth="1"
        />
        <line x1="0" x2={width} y1={y(budget)} y2={y(budget)} className="stroke-danger" strokeWidth="1" />
        <polyline points={points} fill="none" className="stroke-accent" strokeWidth="2" />
      </svg>
      <figcaption className="text-xs text-muted">
        {last.toLocaleString("en-US")} of {budget.toLocaleString("en-US")} tokens after {curve.length} turn
        {curve.length === 1 ? "" : "s"} (dashed: 80%)
      </figcaption>
    </figure>
  );
}
