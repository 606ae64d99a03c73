"use client";

import { LogOut } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { authClient } from "./auth-client";

/** Ends the session (Better Auth deletes the row and the cookie; the sign-out is audited) and goes to /login. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const router = useRouter();

  async function signOut() {
    setPending(true);
    const result = await authClient().signOut();
    if (result.error) {
      setPending(false);
      toast.error("Sign-out failed. Try again.");
      return;
    }
    router.replace("/login");
    router.refresh();
  }

  return (
    <Button variant="ghost" size="sm" onClick={signOut} loading={pending}>
      {pending ? null : <LogOut aria-hidden />}
      Sign out
    </Button>
  );
}
