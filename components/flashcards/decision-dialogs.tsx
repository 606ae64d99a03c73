"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import type { CardView } from "./types";

export type DialogKind = "reject" | "snooze" | "edit" | null;

const snoozeOptions = [
  { key: "1", label: "1 hour", ms: 3_600_000 },
  { key: "2", label: "4 hours", ms: 4 * 3_600_000 },
  { key: "3", label: "1 day", ms: 86_400_000 },
  { key: "4", label: "1 week", ms: 7 * 86_400_000 },
] as const;

/** Reject needs a reason (it is audited and, for a tool call, read by the model). */
export function RejectDialog({
  open,
  onClose,
  onReject,
  bulk,
}: {
  open: boolean;
  onClose: () => void;
  onReject: (reason: string) => void;
  bulk?: number;
}) {
  const [reason, setReason] = useState("");
  const submit = () => {
    if (!reason.trim()) return;
    onReject(reason.trim());
    setReason("");
  };
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{bulk ? `Reject ${bulk} cards` : "Reject"}</DialogTitle>
          <DialogDescription>
            The reason is recorded in the audit trail; a rejected tool call returns it to the model.
          </DialogDescription>
        </DialogHeader>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          className="flex flex-col gap-3"
        >
          <Field label="Reason" required>
            <Textarea
              autoFocus
              value={reason}
              maxLength={2000}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey) {
                  e.preventDefault();
                  submit();
                }
              }}
              placeholder="e.g. refunds above 100 € need finance"
            />
          </Field>
          <DialogFooter>
            <Button type="button" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!reason.trim()}>
              Reject
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Snooze until a time: 1–4 pick a preset. The card returns to the queue then. */
export function SnoozeDialog({
  open,
  onClose,
  onSnooze,
  bulk,
}: {
  open: boolean;
  onClose: () => void;
  onSnooze: (until: string, label: string) => void;
  bulk?: number;
}) {
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent
        onKeyDown={(e) => {
          const option = snoozeOptions.find((o) => o.key === e.key);
          if (option) {
            e.preventDefault();
            onSnooze(new Date(Date.now() + option.ms).toISOString(), option.label);
          }
        }}
      >
        <DialogHeader>
          <DialogTitle>{bulk ? `Snooze ${bulk} cards` : "Snooze"}</DialogTitle>
          <DialogDescription>
            Not a rejection: the card leaves the queue and comes back at the time you pick. Press 1–4.
          </DialogDescription>
        </DialogHeader>
        <div className="grid grid-cols-2 gap-2">
          {snoozeOptions.map((o, i) => (
            <Button
              key={o.key}
              autoFocus={i === 0}
              onClick={() => onSnooze(new Date(Date.now() + o.ms).toISOString(), o.label)}
            >
              <kbd className="mr-1 font-mono text-xs text-muted">{o.key}</kbd> {o.label}
            </Button>
          ))}
        </div>
      </DialogContent>
    </Dialog>
  );
}

/** Edit the tool call's arguments, then approve. The server validates them against the tool's schema and records the diff. */
export function EditDialog({
  open,
  card,
  onClose,
  onApprove,
  error,
}: {
  open: boolean;
  card: CardView;
  onClose: () => void;
  onApprove: (input: unknown) => void;
  error: string | null;
}) {
  const [text, setText] = useState(() => JSON.stringify(card.details.input ?? {}, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const submit = () => {
    try {
      const value: unknown = JSON.parse(text);
      setParseError(null);
      onApprove(value);
    } catch (e) {
      setParseError(e instanceof Error ? e.message : "Not valid JSON");
    }
  };
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>Edit arguments, then approve</DialogTitle>
          <DialogDescription>
            {String(card.details.tool ?? "The tool")} runs with these arguments instead of the model&apos;s. Ctrl+Enter
            approves.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field label="Arguments (JSON)" error={parseError ?? error ?? undefined}>
            <Textarea
              autoFocus
              rows={12}
              className="font-mono text-xs"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
          </Field>
          <DialogFooter>
            <Button type="button" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="primary">
              Approve with these arguments
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
