"use client";

import { useRef, useState } from "react";
import { Button, LocalTime } from "@/components/ui";

type CopyState = "idle" | "copied" | "manual";

/**
 * The key as text, for a person who cannot scan the QR code (often: the phone that holds the app shows this page), with
 * a "Copy key" button. Without clipboard access (an old browser, a refused permission) the key is selected so that the
 * person can copy it themselves, and told so.
 */
export function ManualKey({ secretForDisplay, expiresAt }: { secretForDisplay: string; expiresAt: string }) {
  const keyRef = useRef<HTMLParagraphElement>(null);
  const [state, setState] = useState<CopyState>("idle");

  function selectKey(): boolean {
    const el = keyRef.current;
    const selection = window.getSelection();
    if (!el || !selection) return false;
    const range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }

  async function copy() {
    try {
      // Apps accept the key with or without spaces; without them it pastes as one word.
      await navigator.clipboard.writeText(secretForDisplay.replaceAll(" ", ""));
      setState("copied");
    } catch {
      // Fallback: select the key (and try the older copy command on the selection).
      let copied = false;
      if (selectKey()) {
        try {
          copied = document.execCommand("copy");
        } catch {
          copied = false;
        }
      }
      setState(copied ? "copied" : "manual");
    }
    setTimeout(() => setState((s) => (s === "copied" ? "idle" : s)), 4000);
  }

  return (
    <div>
      <p className="text-sm font-medium text-slate-900" id="manual-key-label">
        Can't scan? Enter this key instead
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <p
          ref={keyRef}
          className="min-w-0 break-words rounded-md bg-slate-100 px-3 py-2 font-mono text-sm tracking-wider text-slate-900 select-all"
          data-testid="manual-key"
        >
          {secretForDisplay}
        </p>
        <Button variant="secondary" size="sm" onClick={copy} aria-describedby="manual-key-copy-status">
          {state === "copied" ? "Copied" : "Copy key"}
        </Button>
      </div>
      <p id="manual-key-copy-status" role="status" aria-live="polite" className="mt-1 text-sm text-slate-700">
        {state === "copied"
          ? "Copied. Paste the key into your authenticator app."
          : state === "manual"
            ? "Your browser did not let us copy. The key is selected: copy it yourself (long-press or Ctrl+C)."
            : ""}
      </p>
      <p className="mt-1 text-xs text-slate-600">
        Time-based, 6 digits, every 30 seconds. Valid until <LocalTime value={expiresAt} format="time" />.
      </p>
    </div>
  );
}
