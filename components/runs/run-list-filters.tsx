import Link from "next/link";
import { TimeRangePicker } from "@/components/time-range/time-range-picker";
import { buttonClassName } from "@/components/ui/button-styles";
import { controlClassName } from "@/components/ui/input-styles";
import type { RunListQuery } from "@/lib/board";
import { cn } from "@/lib/utils";
import { allRunStates, runStateLabels } from "./run-states";

type Props = {
  query: RunListQuery;
  jobs: readonly { id: string; title: string }[];
  owners: readonly string[];
};

function Select(props: { name: string; label: string; value: string | undefined; children: React.ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-xs text-muted">
      {props.label}
      <select name={props.name} defaultValue={props.value ?? ""} className={cn(controlClassName, "h-8 w-auto text-xs")}>
        {props.children}
      </select>
    </label>
  );
}

/**
 * The list's filters as a plain GET form: the URL is the state (shareable, back button), and
 * it works before any script has loaded.
 */
export function RunListFilters({ query, jobs, owners }: Props) {
  return (
    <form
      method="get"
      action="/runs/list"
      role="search"
      aria-label="Filter runs"
      className="flex flex-wrap items-end gap-2"
    >
      <label className="flex min-w-56 flex-1 flex-col gap-1 text-xs text-muted">
        Search
        <input
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Id, subject, job or customer"
          className={cn(controlClassName, "h-8 text-xs")}
        />
      </label>
      <Select name="job" label="Job" value={query.job}>
        <option value="">All jobs</option>
        {jobs.map((j) => (
          <option key={j.id} value={j.id}>
            {j.title}
          </option>
        ))}
      </Select>
      <Select name="state" label="State" value={query.state?.join(",")}>
        <option value="">All states</option>
        <option value="queued,running,waiting,paused">Active</option>
        {allRunStates.map((s) => (
          <option key={s} value={s}>
            {runStateLabels[s]}
          </option>
        ))}
      </Select>
      <Select name="owner" label="Owner" value={query.owner}>
        <option value="">All owners</option>
        {owners.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </Select>
      <Select name="risk" label="Risk" value={query.risk}>
        <option value="">All risks</option>
        <option value="minimal">Minimal</option>
        <option value="limited">Limited</option>
        <option value="high">High</option>
      </Select>
      <TimeRangePicker label="Created" value={query.range} />
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <button type="submit" className={buttonClassName("primary", "sm")}>
        Apply
      </button>
      <Link href="/runs/list" className={buttonClassName("ghost", "sm")}>
        Clear
      </Link>
    </form>
  );
}
