"use client";

import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { hasFilters, type BoardFilters, type FilterKey } from "./board-filters";
import { allRunStates, runStateLabels } from "./run-states";

const ALL = "__all";

type Option = { value: string; label: string };

const riskOptions: readonly Option[] = [
  { value: "minimal", label: "Minimal risk" },
  { value: "limited", label: "Limited risk" },
  { value: "high", label: "High risk" },
];
const stateOptions: readonly Option[] = allRunStates.map((s) => ({ value: s, label: runStateLabels[s] }));

type FilterBarProps = {
  filters: BoardFilters;
  jobs: readonly Option[];
  owners: readonly string[];
  onChange: (key: FilterKey, value: string | undefined) => void;
  onClear: () => void;
  /** Runs shown / runs on the board. */
  shown: number;
  total: number;
};

function FilterSelect(props: {
  label: string;
  value: string | undefined;
  options: readonly Option[];
  allLabel: string;
  width: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Select value={props.value ?? ALL} onValueChange={(v) => props.onChange(v === ALL ? undefined : v)}>
      <SelectTrigger aria-label={props.label} className={`h-7 text-xs ${props.width}`}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>{props.allLabel}</SelectItem>
        {props.options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** Job, owner, risk and state; every choice lands in the URL so a filtered board can be shared. */
export function BoardFilterBar({ filters, jobs, owners, onChange, onClear, shown, total }: FilterBarProps) {
  return (
    <div role="group" aria-label="Filters" className="flex flex-wrap items-center gap-2">
      <FilterSelect
        label="Filter by job"
        value={filters.job}
        options={jobs}
        allLabel="All jobs"
        width="w-48"
        onChange={(v) => onChange("job", v)}
      />
      <FilterSelect
        label="Filter by owner"
        value={filters.owner}
        options={owners.map((o) => ({ value: o, label: o }))}
        allLabel="All owners"
        width="w-56"
        onChange={(v) => onChange("owner", v)}
      />
      <FilterSelect
        label="Filter by risk"
        value={filters.risk}
        options={riskOptions}
        allLabel="Any risk"
        width="w-32"
        onChange={(v) => onChange("risk", v)}
      />
      <FilterSelect
        label="Filter by state"
        value={filters.state}
        options={stateOptions}
        allLabel="Any state"
        width="w-32"
        onChange={(v) => onChange("state", v)}
      />
      {/* Always rendered so the bar never reflows when a filter is set. */}
      <Button
        variant="ghost"
        size="sm"
        onClick={onClear}
        disabled={!hasFilters(filters)}
        className={hasFilters(filters) ? "" : "invisible"}
      >
        <X aria-hidden />
        Clear
      </Button>
      <p className="ml-auto text-xs text-muted tabular-nums" aria-live="polite">
        {hasFilters(filters)
          ? `${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} runs`
          : `${total.toLocaleString("en-US")} runs`}
      </p>
    </div>
  );
}
