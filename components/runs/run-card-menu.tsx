"use client";

import { ArrowDown, ArrowUp, Ban, Copy, Ellipsis, ExternalLink, Pause, Play, RotateCcw } from "lucide-react";
import { setRunPriority } from "@/lib/actions";
import Link from "next/link";
import type { RefObject } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuShortcut,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import { controlLabels, type RunControl } from "./run-controls";

const icons = { pause: Pause, resume: Play, cancel: Ban, retry: RotateCcw } as const;

type RunCardMenuProps = {
  runId: string;
  label: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Controls this viewer may use on this run now (empty for read-only roles). */
  controls: readonly RunControl[];
  onControl: (control: RunControl) => void;
  /** Focus returns to the card, not the trigger, when the menu closes. */
  returnFocusTo: RefObject<HTMLElement | null>;
  /** The run's priority class; with canReprioritise, the menu raises or lowers it by one. */
  priority?: number;
  canReprioritise?: boolean;
};

async function changePriority(runId: string, priority: number) {
  const result = await setRunPriority({ runId, priority });
  if (result.ok) toast.success(`Priority set to ${result.data.priority}`);
  else toast.error(result.error.message);
}

export function RunCardMenu({
  runId,
  label,
  open,
  onOpenChange,
  controls,
  onControl,
  returnFocusTo,
  priority,
  canReprioritise,
}: RunCardMenuProps) {
  return (
    <DropdownMenu open={open} onOpenChange={onOpenChange} modal={false}>
      <DropdownMenuTrigger
        tabIndex={-1}
        aria-label={`Actions for ${label}`}
        className="-mr-1 flex size-6 shrink-0 items-center justify-center rounded text-muted hover:bg-surface-muted hover:text-foreground data-[state=open]:bg-surface-muted"
      >
        <Ellipsis aria-hidden className="size-4" />
      </DropdownMenuTrigger>
      <DropdownMenuContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          returnFocusTo.current?.focus();
        }}
      >
        <DropdownMenuItem asChild>
          <Link href={`/runs/${runId}`}>
            <ExternalLink aria-hidden />
            Open run
            <DropdownMenuShortcut>O</DropdownMenuShortcut>
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem
          onSelect={() => {
            void navigator.clipboard?.writeText(runId).then(
              () => toast.success("Run ID copied"),
              () => toast.error("Could not copy to the clipboard"),
            );
          }}
        >
          <Copy aria-hidden />
          Copy run ID
        </DropdownMenuItem>
        {canReprioritise && priority !== undefined ? (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => void changePriority(runId, Math.min(1000, priority + 1))}>
              <ArrowUp aria-hidden />
              Raise priority ({priority + 1})
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => void changePriority(runId, Math.max(-1000, priority - 1))}>
              <ArrowDown aria-hidden />
              Lower priority ({priority - 1})
            </DropdownMenuItem>
          </>
        ) : null}
        {controls.length > 0 ? <DropdownMenuSeparator /> : null}
        {controls.map((control) => {
          const Icon = icons[control];
          return (
            <DropdownMenuItem
              key={control}
              variant={control === "cancel" ? "danger" : "default"}
              onSelect={() => onControl(control)}
            >
              <Icon aria-hidden />
              {controlLabels[control].label}
              <DropdownMenuShortcut>{controlLabels[control].key.toUpperCase()}</DropdownMenuShortcut>
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
