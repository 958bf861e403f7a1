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
      <table className={cn("data-table w-full border-collapse text-left text-sm", className)} {...props}>
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

// Rows, headers and cells carry no classes of their own: their look is `.data-table`'s, in app/globals.css, at zero
// specificity so that a `className` given here still wins. A utility string on every cell was repeated in the HTML and
// again in the RSC payload of every row (issue 13: page weight).
export function Tr(props: ComponentProps<"tr">) {
  return <tr {...props} />;
}

/** A column header; `scope` defaults to "col". */
export function Th({ scope = "col", ...props }: ComponentProps<"th">) {
  return <th scope={scope} {...props} />;
}

export function Td(props: ComponentProps<"td">) {
  return <td {...props} />;
}
