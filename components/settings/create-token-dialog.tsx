"use client";

import { KeyRound } from "lucide-react";
import { useState, type FormEvent } from "react";
import { createTokenAction } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { Role } from "@/db/schema";
import { RoleSelect } from "./role-select";
import { roleHints } from "./roles";
import { TokenSecret } from "./token-secret";
import { fieldErrors, useActionRunner } from "./use-action-runner";

export function CreateTokenDialog() {
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<Role>("operator");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const { pending, run } = useActionRunner();

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Closing forgets the secret: it must not linger in memory or reappear.
    if (!next) {
      setCreated(null);
      setErrors({});
      setRole("operator");
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setErrors({});
    run(() => createTokenAction({ name, role }), {
      success: "",
      onOk: (data) => setCreated({ token: data.token, name: data.name }),
      onError: (result) => {
        const byField = fieldErrors(result.error.issues);
        setErrors(Object.keys(byField).length > 0 ? byField : { form: result.error.message });
      },
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <KeyRound aria-hidden />
          Create token
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{created ? "Token created" : "Create API token"}</DialogTitle>
          <DialogDescription>
            {created
              ? "Copy the token before closing this dialog."
              : "For scripts and CI. The token acts with the role you pick."}
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <TokenSecret token={created.token} name={created.name} />
            <DialogFooter>
              <Button variant="primary" onClick={() => onOpenChange(false)}>
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
            <Field label="Name" required hint="What uses it, e.g. ci or nightly-export." error={errors.name}>
              <Input name="name" autoComplete="off" maxLength={80} required />
            </Field>
            <Field label="Role" hint={roleHints[role]} error={errors.role}>
              <RoleSelect value={role} onChange={setRole} />
            </Field>
            <div role="alert" className="text-[13px] font-medium text-danger-text empty:hidden">
              {errors.form}
            </div>
            <DialogFooter className="mt-1">
              <Button onClick={() => onOpenChange(false)}>Cancel</Button>
              <Button type="submit" variant="primary" loading={pending}>
                Create token
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
