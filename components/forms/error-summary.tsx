"use client";

import { useEffect, useRef } from "react";
import { type FieldErrors, type FieldValues, type UseFormReturn, useFormState } from "react-hook-form";
import { cn } from "@/components/ui/cn";

/** The field errors of a form, flattened to `[name, message]` in the order react-hook-form holds them. */
function fieldMessages(errors: FieldErrors, prefix = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (!value) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value.message === "string" && value.message) out.push([name, value.message]);
    else if (typeof value === "object" && !("type" in value)) out.push(...fieldMessages(value as FieldErrors, name));
  }
  return out;
}

/** What to call a field in the summary: its label's words (the registered element's <label>), else its message. */
function fieldName(control: { _fields?: unknown }, name: string, message: string): string {
  let node: unknown = control._fields;
  for (const part of name.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  const ref = (node as { _f?: { ref?: unknown; refs?: unknown[] } } | undefined)?._f;
  const registered = (ref?.refs?.[0] ?? ref?.ref) as HTMLInputElement | undefined;
  // A field whose ref is not the input itself (a controlled or number field): the form's element of that name.
  const element =
    registered?.labels || typeof document === "undefined"
      ? registered
      : (document.getElementsByName(name)[0] as HTMLInputElement | undefined);
  const fieldset = element?.closest?.("fieldset")?.querySelector("legend")?.textContent;
  const label =
    element?.labels?.[0]?.textContent ?? element?.getAttribute?.("aria-label") ?? (ref?.refs ? fieldset : undefined);
  return label?.trim() || message;
}

/**
 * The error summary of a form: the form-level error (`message`, e.g. the server's refusal) and which fields need
 * attention, each named by its label as a button that moves the focus to the field (where its error is written, and
 * read out through aria-describedby: the words are not repeated here). After every submit that failed (the browser-side check or the server's
 * answer) the FOCUS MOVES HERE, so keyboard and screen-reader users learn what went wrong at once (WCAG 3.3.1); the
 * fields keep their own inline errors. The one mechanism for every form built on react-hook-form (`useActionForm`
 * turns its default "focus the first invalid field" off for this).
 */
export function ErrorSummary<T extends FieldValues>({
  form,
  message,
  title,
  className,
}: {
  form: Pick<UseFormReturn<T>, "control" | "setFocus">;
  message?: string | null;
  /** Heading when there are field errors; with only a form-level error, `title` (if any) heads that message. */
  title?: string;
  className?: string;
}) {
  const { errors, submitCount, isSubmitting } = useFormState({ control: form.control });
  // Field errors join the summary once the form was submitted: errors found while typing (on blur) stay beside their
  // fields only, so the form never jumps under the pointer on its way to the submit button.
  const fields = submitCount > 0 ? fieldMessages(errors as FieldErrors).filter(([, text]) => text !== message) : [];
  const shown = Boolean(message) || fields.length > 0;
  const ref = useRef<HTMLDivElement>(null);
  const handled = useRef(submitCount);

  // Once per finished submit: when it left errors, the summary takes the focus.
  useEffect(() => {
    if (isSubmitting || submitCount === handled.current) return;
    handled.current = submitCount;
    if (shown) ref.current?.focus();
  }, [submitCount, isSubmitting, shown]);

  if (!shown) return null;
  const heading = fields.length > 0 ? (title ?? "There is a problem") : title;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      data-testid="error-summary"
      className={cn(
        "flex gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus",
        className,
      )}
    >
      <svg
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="mt-px size-5 shrink-0 text-red-700"
      >
        <circle cx="10" cy="10" r="7.25" />
        <path d="M10 6.5V11M10 13.5h.01" />
      </svg>
      <div className="min-w-0 flex-1 space-y-1 leading-6">
        {heading ? <p className="font-semibold text-red-900">{heading}</p> : null}
        {message ? <p>{message}</p> : null}
        {fields.length > 0 ? (
          <div>
            <p>{fields.length === 1 ? "Check this field:" : `Check these ${fields.length} fields:`}</p>
            <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
              {fields.map(([name, text]) => (
                <li key={name}>
                  <button
                    type="button"
                    className="text-left font-medium underline underline-offset-4 hover:text-red-950"
                    onClick={() => form.setFocus(name as never)}
                  >
                    {fieldName(form.control as { _fields?: unknown }, name, text)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
