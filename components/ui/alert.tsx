import type { ReactNode } from "react";
import { cn } from "./cn";

export type AlertVariant = "info" | "success" | "warning" | "error";

const styles: Record<AlertVariant, { box: string; icon: string; title: string }> = {
  info: { box: "border-brand-200 bg-brand-50 text-slate-800", icon: "text-brand-700", title: "text-brand-900" },
  success: {
    box: "border-emerald-200 bg-emerald-50 text-emerald-900",
    icon: "text-emerald-700",
    title: "text-emerald-900",
  },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "text-amber-700", title: "text-amber-900" },
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: "text-red-700", title: "text-red-900" },
};

const paths: Record<AlertVariant, ReactNode> = {
  info: (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="M10 9v4.5M10 6.5h.01" />
    </>
  ),
  success: (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="m7 10.25 2 2 4-4.5" />
    </>
  ),
  warning: (
    <>
      <path d="M8.7 3.6a1.5 1.5 0 0 1 2.6 0l6 10.4a1.5 1.5 0 0 1-1.3 2.25H4a1.5 1.5 0 0 1-1.3-2.25z" />
      <path d="M10 8v3.5M10 13.75h.01" />
    </>
  ),
  error: (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="M10 6.5V11M10 13.5h.01" />
    </>
  ),
};

/**
 * A message box. Errors and warnings use role="alert" (announced at once); info and success use role="status"
 * (announced politely).
 */
export function Alert({
  variant = "info",
  title,
  children,
  className,
}: {
  variant?: AlertVariant;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const s = styles[variant];
  return (
    <div
      role={variant === "error" || variant === "warning" ? "alert" : "status"}
      className={cn("flex gap-3 rounded-lg border px-4 py-3 text-sm", s.box, className)}
    >
      <svg
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className={cn("mt-px size-5 shrink-0", s.icon)}
      >
        {paths[variant]}
      </svg>
      <div className="min-w-0 flex-1 space-y-1 leading-6">
        {title ? <p className={cn("font-semibold", s.title)}>{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}
