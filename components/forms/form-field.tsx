import { cloneElement, isValidElement, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

type Described = { "aria-describedby"?: string; "aria-invalid"?: boolean | "true" | "false" };

/**
 * A labelled form control with an optional description and error. The error replaces the description while it
 * is shown. The control (the single child) receives `aria-describedby` (description or error, ids
 * `${htmlFor}-description` / `${htmlFor}-error`) and `aria-invalid` automatically.
 */
export function FormField({
  label,
  htmlFor,
  description,
  error,
  children,
  className,
}: {
  label: ReactNode;
  htmlFor: string;
  description?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  const descriptionId = `${htmlFor}-description`;
  const errorId = `${htmlFor}-error`;
  const describedBy = error ? errorId : description ? descriptionId : undefined;

  let control = children;
  if (isValidElement<Described>(children)) {
    const own = children.props["aria-describedby"];
    control = cloneElement(children, {
      "aria-describedby": [own, describedBy].filter(Boolean).join(" ") || undefined,
      "aria-invalid": error ? true : children.props["aria-invalid"],
    });
  }

  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {control}
      {error ? (
        <FieldError id={errorId} message={error} />
      ) : description ? (
        <p id={descriptionId} className="text-sm text-slate-600">
          {description}
        </p>
      ) : null}
    </div>
  );
}

/** A field's error line: an icon and the words (never colour alone). */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="flex items-start gap-1.5 text-sm text-red-700">
      <svg
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        aria-hidden="true"
        className="mt-0.5 size-4 shrink-0"
      >
        <circle cx="10" cy="10" r="7.25" />
        <path d="M10 6.5V11M10 13.5h.01" />
      </svg>
      <span>{message}</span>
    </p>
  );
}
