"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** The only place a token's secret ever appears: copy it now, it is not stored. */
export function TokenSecret({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
      setCopyFailed(false);
    } catch {
      // Clipboard access can be refused (http, permissions): the field stays selectable.
      setCopyFailed(true);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-[13px] text-warning-text">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        <span>
          This is the only time the secret of <strong>{name}</strong> is shown. Store it in your secret manager now;
          only its hash is kept.
        </span>
      </p>
      <div className="flex gap-2">
        <Input
          readOnly
          value={token}
          aria-label="New API token"
          className="font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button onClick={copy} aria-label="Copy token to clipboard">
          {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p role="status" className="text-xs text-muted">
        {copyFailed
          ? "Copying was blocked by the browser; select the token and copy it by hand."
          : copied
            ? "Token copied to the clipboard."
            : ""}
      </p>
      <p className="text-xs text-muted">
        Send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </div>
  );
}
