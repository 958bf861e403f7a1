"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import { cn } from "./cn";

/**
 * A horizontally scrolling box for content that may be wider than the screen (tables). Only when its content is wider
 * than the box does it say so ("Scroll sideways…" above it), become a named, keyboard-focusable region (arrow keys
 * scroll it; axe: scrollable-region-focusable) and mark itself `data-overflow` (the Users table's sticky actions
 * column draws its divider then). The page itself never grows wider than the viewport: the scroller is `relative`, so
 * it also clips the absolutely positioned things inside (the visually hidden captions and labels of a wide table,
 * which otherwise hang past the viewport and widen the page: the Users table made a 390 px page 1,234 px wide).
 */
export function ScrollArea({
  label,
  className,
  children,
}: {
  /** What the region holds, for screen readers (e.g. the table's name). */
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState(false);

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    // Overflow of less than the last column's right padding (24 px) hides nothing a person needs: no hint for it (a
    // table whose columns fit at 1366 px measured a few pixels wider than its box and said "scroll sideways").
    const check = () => setOverflow(box.scrollWidth - box.clientWidth > 16);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div className={cn("min-w-0", className)}>
      {overflow ? (
        <p className="flex items-center justify-end gap-1 border-b border-slate-200 px-6 py-1.5 text-xs text-slate-600">
          Scroll sideways to see every column
          <span aria-hidden="true">→</span>
        </p>
      ) : null}
      <div
        ref={ref}
        data-overflow={overflow || undefined}
        {...(overflow ? { role: "region", "aria-label": label ?? "Table", tabIndex: 0 } : {})}
        className="relative w-full overflow-x-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-focus"
      >
        {children}
      </div>
    </div>
  );
}
