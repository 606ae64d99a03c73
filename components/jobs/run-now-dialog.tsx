"use client";

import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState, type FormEvent } from "react";
import { startRun } from "@/lib/actions";
import { Button, type ButtonProps } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { buildInput, fieldsOf, initialValues, JsonFieldError, type FormValues, type JsonSchema } from "./schema-fields";
import { SchemaForm } from "./schema-form";
import { issuesByPath, validateInput } from "./validate-input";

type RunNowDialogProps = {
  jobId: string;
  jobTitle: string;
  schema: JsonSchema;
  size?: ButtonProps["size"];
  variant?: ButtonProps["variant"];
};

/**
 * "Run now": a form generated from the job's input schema, checked in the browser with
 * the same rules, then started through the startRun action, which validates again — a
 * refusal lands on the fields it names.
 */
export function RunNowDialog({ jobId, jobTitle, schema, size = "md", variant = "primary" }: RunNowDialogProps) {
  const router = useRouter();
  const idPrefix = useId();
  const fields = useMemo(() => fieldsOf(schema), [schema]);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function focusFirstError(found: Record<string, string>) {
    const first = Object.keys(found).find((k) => k !== "_form");
    if (first) requestAnimationFrame(() => document.getElementById(`${idPrefix}-${first}`)?.focus());
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    let input: Record<string, unknown>;
    try {
      input = buildInput(fields, values);
    } catch (error) {
      if (error instanceof JsonFieldError) return void setErrors({ [error.path]: "Not valid JSON" });
      throw error;
    }
    const found = validateInput(schema, input);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError(found);

    setBusy(true);
    const result = await startRun({ jobId, input }).catch(() => null);
    setBusy(false);
    if (!result) return void setFormError("The server could not be reached. Try again.");
    if (!result.ok) {
      const serverErrors = issuesByPath(result.error.issues);
      setErrors(serverErrors);
      setFormError(
        Object.keys(serverErrors).length > 0
          ? `The server refused the input: ${result.error.message}.`
          : result.error.message,
      );
      return focusFirstError(serverErrors);
    }
    setOpen(false);
    setValues(initialValues(fields));
    setErrors({});
    const id = result.data.id;
    toast.success(result.data.state === "waiting" ? "Run created — it waits for approval" : "Run started", {
      action: { label: "Open run", onClick: () => router.push(`/runs/${id}`) },
    });
    router.refresh();
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setErrors({});
          setFormError(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant={variant} size={size}>
          <Play aria-hidden />
          Run now
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Run “{jobTitle}” now</DialogTitle>
          <DialogDescription>
            {fields.length > 0
              ? "The run starts with this input, at the job's current version."
              : "This job takes no input."}
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          onSubmit={(e) => void submit(e)}
          className="flex flex-col gap-4"
          aria-describedby={formError ? `${idPrefix}-form-error` : undefined}
        >
          <SchemaForm
            fields={fields}
            values={values}
            errors={errors}
            idPrefix={idPrefix}
            onChange={(path, value) => setValues((v) => ({ ...v, [path]: value }))}
          />
          {formError ? (
            <p
              id={`${idPrefix}-form-error`}
              role="alert"
              className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger-text"
            >
              {formError}
              {errors._form ? ` ${errors._form}` : ""}
            </p>
          ) : null}
          <DialogFooter className="mt-1">
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={busy}>
              Start run
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
