"use client";

import { LogIn } from "lucide-react";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { authClient } from "./auth-client";

const invalidCredentials = "Invalid email or password";

type SignInError = { status?: number; message?: unknown; error?: { message?: unknown } };

/**
 * What the person is told. A 403 is the server refusing this page's origin (lib/auth/origins.ts): its message says
 * which URL to open or that FLIGHTDECK_BASE_URL must be set, so it is shown as is. Only a request that got no
 * answer at all is a connection problem.
 */
function messageFor(error: SignInError | undefined): string {
  const status = error?.status;
  if (status === 401) return invalidCredentials;
  if (status === 429) return "Too many failed sign-in attempts. Wait a minute and try again.";
  const told = error?.error?.message ?? error?.message;
  if (status === 403 && typeof told === "string" && told.length > 0) return told;
  if (status !== undefined)
    return `Sign-in failed: the server answered ${status}. Try again, or ask an admin to check its log.`;
  return "Sign-in failed. Check your connection and try again.";
}

/** Email + password sign-in. One generic message for any wrong credential, never which part. */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const titleId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    try {
      const result = await authClient().signIn.email({ email, password });
      if (result.error) {
        setError(messageFor(result.error));
        if (passwordRef.current) {
          passwordRef.current.value = "";
          passwordRef.current.focus();
        }
        setPending(false);
        return;
      }
      // A full navigation, so the server renders the cockpit with the new session cookie.
      window.location.assign(next);
    } catch {
      setError(messageFor(undefined));
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby={titleId} className="flex flex-col gap-4" noValidate={false}>
      <h1 id={titleId} className="text-lg font-semibold tracking-tight">
        Sign in to Flightdeck
      </h1>
      <Field label="Email" required>
        <Input name="email" type="email" autoComplete="username" inputMode="email" required autoFocus />
      </Field>
      <Field label="Password" required>
        <Input ref={passwordRef} name="password" type="password" autoComplete="current-password" required />
      </Field>
      {/* Always mounted so screen readers announce the message when it appears. */}
      <div role="alert" aria-live="assertive" className="min-h-5 text-[13px] font-medium text-danger-text">
        {error}
      </div>
      <Button type="submit" variant="primary" size="lg" loading={pending}>
        {pending ? null : <LogIn aria-hidden />}
        Sign in
      </Button>
    </form>
  );
}
