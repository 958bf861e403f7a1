import type { ComponentProps } from "react";
import { cn } from "./cn";
import { ScrollArea } from "./scroll-area";

/**
 * A data table in a horizontally scrolling wrapper (ScrollArea: says "scroll sideways" when it is wider than the
 * screen), so wide tables never make the page wider than the viewport.
 * Pass `label` to name the table (rendered as a visually hidden caption).
 */
export function Table({
  className,
  label,
  wrapperClassName,
  children,
  ...props
}: ComponentProps<"table"> & { label?: string; wrapperClassName?: string }) {
  return (
    <ScrollArea label={label} className={wrapperClassName}>
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props}>
        {label ? <caption className="sr-only">{label}</caption> : null}
        {children}
      </table>
    </ScrollArea>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-slate-200 bg-slate-50", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-slate-200 [&>tr:hover]:bg-slate-50/60", className)} {...props} />;
}

export function Tr({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("transition-colors", className)} {...props} />;
}

/** A column header; `scope` defaults to "col". */
export function Th({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      className={cn(
        "whitespace-nowrap px-4 py-2.5 text-xs font-semibold uppercase tracking-wide text-slate-600 first:pl-6 last:pr-6",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-3.5 align-middle text-slate-700 first:pl-6 last:pr-6", className)} {...props} />;
}
