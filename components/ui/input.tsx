import type { ComponentProps } from "react";
import { cn, FONT_SIZE, hasUtility } from "./cn";

/** Shared look of text inputs and selects. */
export const fieldClasses =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-xs transition-colors " +
  "placeholder:text-slate-500 hover:border-slate-400 " +
  "focus:outline-hidden focus-visible:border-brand-600 focus-visible:ring-2 focus-visible:ring-brand-600/30 " +
  "disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 " +
  "aria-[invalid=true]:border-red-600 aria-[invalid=true]:focus-visible:ring-red-600/30";

/**
 * A text input. All input props are forwarded, including `ref` (React 19), so `{...register("email")}` works.
 * Inside FormField it receives aria-invalid and aria-describedby automatically.
 */
export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return (
    <input
      type={type}
      className={cn(
        fieldClasses,
        "read-only:bg-slate-50 read-only:text-slate-700 read-only:hover:border-slate-300",
        !hasUtility(className, FONT_SIZE) && "text-base sm:text-sm",
        className,
      )}
      {...props}
    />
  );
}
