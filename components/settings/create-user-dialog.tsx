"use client";

import { UserPlus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { createUserAction } from "@/lib/actions";
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
import { fieldErrors, useActionRunner } from "./use-action-runner";

// Mirrors minPasswordLength in lib/users/schemas.ts (server-only); the action re-checks it.
const minPassword = 12;

export function CreateUserDialog() {
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<Role>("operator");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const { pending, run } = useActionRunner();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? ""),
      password: String(form.get("password") ?? ""),
      role,
    };
    setErrors({});
    setFormError(null);
    run(() => createUserAction(input), {
      success: `Created ${input.email.trim().toLowerCase()}`,
      onOk: () => {
        setOpen(false);
        setRole("operator");
      },
      onError: (result) => {
        const byField = fieldErrors(result.error.issues);
        setErrors(byField);
        if (Object.keys(byField).length === 0) setFormError(result.error.message);
      },
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <UserPlus aria-hidden />
          Create user
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create user</DialogTitle>
          <DialogDescription>Share the initial password with the person through a safe channel.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field label="Email" required error={errors.email}>
            <Input name="email" type="email" autoComplete="off" required />
          </Field>
          <Field label="Name" required error={errors.name}>
            <Input name="name" autoComplete="off" required />
          </Field>
          <Field label="Role" hint={roleHints[role]} error={errors.role}>
            <RoleSelect value={role} onChange={setRole} />
          </Field>
          <Field label="Initial password" required hint={`At least ${minPassword} characters.`} error={errors.password}>
            <Input name="password" type="password" autoComplete="new-password" minLength={minPassword} required />
          </Field>
          <div role="alert" className="text-[13px] font-medium text-danger-text empty:hidden">
            {formError}
          </div>
          <DialogFooter className="mt-1">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" loading={pending}>
              Create user
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
