"use client";

import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";

const groups: { title: string; rows: { keys: string[]; what: string }[] }[] = [
  {
    title: "Move around",
    rows: [
      { keys: ["↑", "k"], what: "Previous run in the column" },
      { keys: ["↓", "j"], what: "Next run in the column" },
      { keys: ["←", "h"], what: "Column to the left" },
      { keys: ["→", "l"], what: "Column to the right" },
      { keys: ["Home", "End"], what: "First / last run in the column" },
    ],
  },
  {
    title: "Act on the focused run",
    rows: [
      { keys: ["Enter", "."], what: "Open the run's menu" },
      { keys: ["o"], what: "Open the run's page" },
      { keys: ["p"], what: "Pause" },
      { keys: ["r"], what: "Resume" },
      { keys: ["c"], what: "Cancel" },
      { keys: ["t"], what: "Retry (failed, timed-out or cancelled runs)" },
      { keys: ["x"], what: "Select or unselect it for a bulk control (Shift-click does the same)" },
    ],
  },
  {
    title: "Anywhere on the board",
    rows: [{ keys: ["?"], what: "Show these shortcuts" }],
  },
];

export function ShortcutsDialog({
  open,
  onOpenChange,
  canControl,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  canControl: boolean;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>
            Tab to the board, then move with the arrow keys.{" "}
            {canControl
              ? "You can also drag a card onto a column, or onto the Cancel zone that appears while dragging."
              : "Your role can look but not act: pause, resume, cancel and retry are not available."}
          </DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-4">
          {groups.map((group) => (
            <section key={group.title}>
              <h3 className="mb-1.5 text-xs font-medium text-muted">{group.title}</h3>
              <dl className="flex flex-col gap-1">
                {group.rows.map((row) => (
                  <div key={row.what} className="flex items-center justify-between gap-4 text-[13px]">
                    <dt className="text-foreground">{row.what}</dt>
                    <dd className="flex shrink-0 items-center gap-1">
                      {row.keys.map((key) => (
                        <Kbd key={key}>{key}</Kbd>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </DialogContent>
    </Dialog>
  );
}
