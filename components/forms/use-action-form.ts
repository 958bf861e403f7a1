"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type FieldValues, type Path, type UseFormProps, useForm } from "react-hook-form";
import type { z } from "zod";

/** The shape every server action returns (lib/actions/action-client.ts), restated for the client. */
export type ActionResultLike<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

/**
 * react-hook-form with the same zod schema the server action validates with, and the action's
 * field/form errors mapped back onto the form. `run` returns the data on success, or null.
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, "resolver"> = {},
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    ...options,
    resolver: zodResolver(schema as never) as never,
    mode: "onTouched",
  });
  const [formError, setFormError] = useState<string | null>(null);

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

  return { form, formError, setFormError, run };
}
