import { cn } from "@/components/ui/cn";

/** The Twofold mark: a shield folded in two halves, on a brand square. Decorative (the wordmark names it). */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={cn("size-8 shrink-0", className)}>
      <rect width="32" height="32" rx="8" className="fill-brand-600" />
      <path d="M16 6.5 8.5 9.3v6c0 4.7 3.1 8.5 7.5 10.2Z" fill="#fff" />
      <path d="M16 6.5l7.5 2.8v6c0 4.7-3.1 8.5-7.5 10.2Z" fill="#fff" fillOpacity="0.55" />
    </svg>
  );
}

/** Mark and wordmark. */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2.5", className)}>
      <LogoMark />
      <span className="text-lg font-semibold tracking-tight text-slate-900">Twofold</span>
    </span>
  );
}
