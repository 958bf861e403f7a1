import type { ReactNode } from "react";
import { cn } from "./cn";

export type BadgeVariant = "neutral" | "success" | "warning" | "danger" | "info";

const variants: Record<BadgeVariant, { box: string; dot: string }> = {
  neutral: { box: "bg-slate-100 text-slate-700 ring-slate-200", dot: "bg-slate-500" },
  success: { box: "bg-emerald-50 text-emerald-800 ring-emerald-200", dot: "bg-emerald-600" },
  warning: { box: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  danger: { box: "bg-red-50 text-red-800 ring-red-200", dot: "bg-red-600" },
  info: { box: "bg-brand-50 text-brand-800 ring-brand-200", dot: "bg-brand-600" },
};

/** A small status label. The text carries the meaning; the dot only repeats it. */
export function Badge({
  variant = "neutral",
  children,
  className,
}: {
  variant?: BadgeVariant;
  children: ReactNode;
  className?: string;
}) {
  const v = variants[variant];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        v.box,
        className,
      )}
    >
      <span aria-hidden="true" className={cn("size-1.5 rounded-full", v.dot)} />
      {children}
    </span>
  );
}
