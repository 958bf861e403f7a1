import { cn } from "./cn";

/**
 * An indeterminate progress indicator. Decorative by default (pair it with visible text such as "Saving…");
 * pass `label` when it stands alone so screen readers announce it.
 */
export function Spinner({ className, label }: { className?: string; label?: string }) {
  const svg = (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
      className={cn("size-4 shrink-0 animate-spin motion-reduce:animate-[spin_1.5s_linear_infinite]", className)}
    >
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
  if (!label) return svg;
  return (
    <span role="status" className="inline-flex items-center">
      {svg}
      <span className="sr-only">{label}</span>
    </span>
  );
}
