"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { type FieldValues, type Path, type UseFormProps, useForm } from "react-hook-form";
import type { z } from "zod";

/** The shape every server action returns (lib/actions/action-client.ts), restated for the client. */
export type ActionResultLike<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

/**
 * react-hook-form with the same zod schema the server action validates with, and the action's
 * field/form errors mapped back onto the form. `run` returns the data on success, or null.
 * `navigate(() => router.replace(…))` runs the navigation that follows a success as a transition, and `pending` stays
 * true from the submit until the next page is on screen: the submit button keeps its spinner instead of coming back to
 * life over a page that is about to go away (no frozen or blank moment between sign-in and the next step).
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, "resolver"> = {},
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    ...options,
    resolver: zodResolver(schema as never) as never,
    // Checked on submit, then again as the person corrects a field. Not on blur: an error appearing when the pointer
    // leaves a field for the submit button moves the button down under the pointer, and the click is lost.
    mode: "onSubmit",
    reValidateMode: "onChange",
    // After a failed submit the focus goes to the form's ErrorSummary (components/forms/error-summary.tsx), which
    // lists every error and links to each field, instead of to the first invalid field.
    shouldFocusError: false,
  });
  const [formError, setFormError] = useState<string | null>(null);
  const [navigating, navigate] = useTransition();
  const pending = form.formState.isSubmitting || navigating;

  async function run<T>(call: () => Promise<ActionResultLike<T>>): Promise<T | null> {
    setFormError(null);
    let result: ActionResultLike<T>;
    try {
      result = await call();
    } catch {
      setFormError("We could not reach the server. Check your connection and try again.");
      return null;
    }
    if (result.ok) return result.data;
    const fields = result.fieldErrors ?? {};
    let placed = false;
    for (const [name, message] of Object.entries(fields)) {
      if (name in (form.getValues() as object)) {
        form.setError(name as Path<z.input<S>>, { type: "server", message });
        placed = true;
      }
    }
    if (!placed) setFormError(result.error); // one message: on the field when the server named one
    return null;
  }

  return { form, formError, setFormError, run, navigate, pending };
}
