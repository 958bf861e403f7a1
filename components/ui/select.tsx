import type { ComponentProps } from "react";
import { cn, FONT_SIZE, hasUtility } from "./cn";
import { fieldClasses } from "./input";

/** A native select with a custom chevron. Forwards all props, including `ref`. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className="relative">
      <select
        className={cn(
          fieldClasses,
          "appearance-none pr-9",
          !hasUtility(className, FONT_SIZE) && "text-base sm:text-sm",
          className,
        )}
        {...props}
      >
        {children}
      </select>
      <svg
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-slate-500"
      >
        <path d="m6 8 4 4 4-4" />
      </svg>
    </div>
  );
}
