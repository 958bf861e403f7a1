import type { ComponentProps, ReactNode } from "react";
import { cn, hasUtility, PADDING } from "./cn";

/** A white surface grouping related content (`.card` in app/globals.css). Put CardHeader, CardBody, a Table or an EmptyState inside. */
export function Card({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("card", className)} {...props} />;
}

/** The title row of a card (an h2), with an optional description and actions on the right. */
export function CardHeader({
  title,
  description,
  actions,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("card-header", className)}>
      <div className="min-w-0 flex-1 basis-64">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/** The padded content of a card. Pass your own padding (e.g. `p-0`) to replace the default. */
export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn(!hasUtility(className, PADDING) && "px-6 py-5", className)} {...props} />;
}
