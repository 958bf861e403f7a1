"use client";

import { useEffect, useRef, useState } from "react";
import { Alert, Button, useTimeZone } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";

/**
 * Recovery codes, shown once (S14), with copy, download (.txt) and print. When they appear the focus moves to the list,
 * so a screen reader reads them and a keyboard user starts from them. Printing shows only this block's print view: the
 * codes, the account and the date (app/globals.css, `data-print-area`), no navigation or buttons.
 */
export function RecoveryCodes({ codes, email }: { codes: string[]; email: string }) {
  const [copied, setCopied] = useState(false);
  const timeZone = useTimeZone();
  const [generated] = useState(() => formatDay(new Date(), timeZone));
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => list.current?.focus(), []);
  const text = [
    "Twofold recovery codes",
    `Account: ${email}`,
    `Generated: ${generated}`,
    "",
    "Each code can be used once to sign in if you lose access to your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      setCopied(false);
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "twofold-recovery-codes.txt";
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="space-y-4 print:max-w-xl" id="recovery-codes" data-print-area>
      <div className="print:hidden">
        <Alert variant="warning" title="Save these codes now">
          This is the only time they are shown. Keep them somewhere safe, like a password manager. Each code works once.
        </Alert>
      </div>
      {/* The print view's heading: which account, and when. */}
      <div className="hidden space-y-1 text-slate-900 print:block" data-testid="recovery-codes-print-heading">
        <p className="text-lg font-semibold">Twofold recovery codes</p>
        <p>Account: {email}</p>
        <p>Generated: {generated}</p>
        <p className="text-sm">Each code can be used once to sign in if you lose access to your authenticator app.</p>
      </div>
      <ol
        ref={list}
        tabIndex={-1}
        aria-label="Recovery codes"
        className="grid grid-cols-1 gap-2 rounded-lg border border-slate-200 bg-slate-50 p-4 font-mono text-sm text-slate-900 sm:grid-cols-2 print:grid-cols-2 print:border-slate-400 print:bg-white"
      >
        {codes.map((code) => (
          <li
            key={code}
            className="rounded bg-white px-3 py-2 text-center tracking-wide shadow-sm print:shadow-none"
            data-testid="recovery-code"
          >
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2 print:hidden">
        <Button variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="secondary" onClick={download}>
          Download .txt
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
        <span aria-live="polite" className="sr-only">
          {copied ? "Recovery codes copied to the clipboard" : ""}
        </span>
      </div>
    </div>
  );
}
