import type { ReactNode } from "react";
import { Logo } from "./logo";

/** The frame of the signed-out pages (sign-in, sign-up, invitations): a centred card with the Twofold wordmark. */
export function AuthLayout({
  title,
  subtitle,
  footer,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="relative isolate flex min-h-screen flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-96 bg-linear-to-b from-brand-50 via-brand-50/40 to-transparent"
      />
      <div className="mb-8">
        <Logo />
      </div>
      <main id="main" tabIndex={-1} className="w-full max-w-[27rem] focus:outline-hidden">
        <div className="rounded-2xl border border-slate-200 bg-white px-6 py-8 shadow-sm sm:px-10 sm:py-10">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1.5 text-sm text-slate-600">{subtitle}</p> : null}
          <div className="mt-7 space-y-5">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-sm text-slate-600">{footer}</div> : null}
      </main>
    </div>
  );
}
