import { cn } from "./cn";

/** A grey placeholder block for content that is on its way. Decorative: pair it with a status (PageSkeleton does). */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-slate-200/80 motion-reduce:animate-none", className)}
    />
  );
}

function SkeletonCard({ rows, table }: { rows: number; table?: boolean }) {
  return (
    <div className="card">
      <div className="space-y-2 border-b border-slate-200 px-6 py-5">
        <Skeleton className="h-5 w-48 max-w-full" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <div className={table ? "divide-y divide-slate-200" : "space-y-4 px-6 py-5"}>
        {Array.from({ length: rows }, (_, i) =>
          table ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders in a fixed order
            <div key={i} className="flex items-center gap-4 px-6 py-4">
              <div className="min-w-0 flex-1 space-y-1.5">
                <Skeleton className="h-4 w-40 max-w-full" />
                <Skeleton className="h-3 w-56 max-w-full" />
              </div>
              <Skeleton className="hidden h-4 w-28 sm:block" />
              <Skeleton className="h-8 w-24" />
            </div>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders in a fixed order
            <Skeleton key={i} className={cn("h-4", i % 3 === 2 ? "w-2/3" : "w-full")} />
          ),
        )}
      </div>
    </div>
  );
}

/**
 * The loading state of a console page (its route's loading.tsx): the page's title, then grey blocks in the shape of
 * what is coming (cards of text, or a table), and a polite status for screen readers. Shown at once on navigation,
 * inside the console's frame, so a click never leaves a blank or frozen screen.
 */
export function PageSkeleton({
  title,
  layout = "cards",
}: {
  /** The page's title when it is always the same; otherwise a grey bar stands in for it. */
  title?: string;
  /** "table": a list page (Users, Audit log); "cards": figures or settings; "form": one card with fields. */
  layout?: "cards" | "table" | "form";
}) {
  return (
    <div className="space-y-6" data-testid="page-skeleton">
      <p role="status" className="sr-only">
        {title ? `Loading ${title}…` : "Loading…"}
      </p>
      <div aria-hidden="true" className="space-y-2">
        {title ? (
          <p className="text-2xl font-semibold tracking-tight text-slate-900">{title}</p>
        ) : (
          <Skeleton className="h-8 w-64 max-w-full" />
        )}
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      {layout === "table" ? (
        <SkeletonCard rows={6} table />
      ) : layout === "form" ? (
        <SkeletonCard rows={5} />
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-3">
            {["a", "b", "c"].map((k) => (
              <div key={k} className="space-y-3 rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
                <Skeleton className="h-4 w-24" />
                <Skeleton className="h-7 w-16" />
              </div>
            ))}
          </div>
          <SkeletonCard rows={4} />
        </>
      )}
    </div>
  );
}
