"use client";

import { cn } from "../ui/cn";

/**
 * The one control to choose how to verify (issue 12: app, text message, recovery code): radio buttons that look like a
 * segmented control (arrow keys move). The sign-in's second step and every "confirm it's you" form use it.
 */
export function MethodPicker<M extends string>({
  options,
  value,
  onChange,
  legend = "Verify with",
  className,
}: {
  options: readonly { value: M; label: string }[];
  value: M;
  onChange: (m: M) => void;
  legend?: string;
  className?: string;
}) {
  return (
    <fieldset className={className}>
      <legend className="mb-2 text-sm font-medium text-slate-900">{legend}</legend>
      <div
        className="grid gap-1 rounded-lg bg-slate-100 p-1"
        style={{ gridTemplateColumns: `repeat(${options.length}, minmax(0, 1fr))` }}
      >
        {options.map((o) => (
          <label
            key={o.value}
            className={cn(
              "relative cursor-pointer rounded-md px-2 py-1.5 text-center text-sm font-medium transition-colors",
              "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-focus",
              value === o.value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
            )}
          >
            <input
              type="radio"
              name="method"
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              className="absolute inset-0 size-full cursor-pointer appearance-none opacity-0"
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
