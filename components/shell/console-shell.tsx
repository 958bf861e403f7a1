import type { ReactNode } from "react";
import { LogoMark } from "./logo";
import { ConsoleNav } from "./nav";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

/**
 * The signed-in frame: a left sidebar (organization, navigation, the signed-in user and sign-out) that becomes a
 * top bar on small screens, and the main region (id="main", the skip link's target).
 */
export function ConsoleShell({
  user,
  organization,
  isAdmin,
  restricted = false,
  signOutSlot,
  children,
}: {
  user: { name: string; email: string };
  organization: { name: string; plan?: string | null };
  isAdmin: boolean;
  /** No navigation: the member must set up 2FA first (S24), so nothing else would open anyway. */
  restricted?: boolean;
  signOutSlot: ReactNode;
  children: ReactNode;
}) {
  const plan = organization.plan
    ? `${organization.plan.charAt(0)}${organization.plan.slice(1).toLowerCase()} plan`
    : null;
  return (
    <div className="min-h-screen lg:flex">
      <header className="border-b border-slate-200 bg-white print:hidden lg:w-64 lg:shrink-0 lg:border-r lg:border-b-0">
        <div className="grid grid-cols-[minmax(0,1fr)_auto] lg:sticky lg:top-0 lg:flex lg:h-screen lg:flex-col">
          {/* Brand and organization */}
          <div className="flex min-w-0 items-center gap-3 px-4 py-3 lg:block lg:px-5 lg:pt-5 lg:pb-4">
            <div className="flex shrink-0 items-center gap-2.5">
              <LogoMark className="size-7" />
              <span className="hidden text-base font-semibold tracking-tight text-slate-900 lg:inline">Twofold</span>
            </div>
            <span aria-hidden="true" className="text-slate-300 lg:hidden">
              /
            </span>
            <div className="flex min-w-0 items-center gap-2.5 lg:mt-5 lg:rounded-lg lg:border lg:border-slate-200 lg:bg-slate-50 lg:px-2.5 lg:py-2">
              <span
                aria-hidden="true"
                className="hidden size-8 shrink-0 items-center justify-center rounded-md bg-slate-900 text-sm font-semibold text-white lg:flex"
              >
                {initials(organization.name).charAt(0)}
              </span>
              <div className="min-w-0">
                <p className="truncate text-sm font-semibold text-slate-900" title={organization.name}>
                  {organization.name}
                </p>
                {plan ? <p className="hidden truncate text-xs text-slate-600 lg:block">{plan}</p> : null}
              </div>
            </div>
          </div>

          {restricted ? (
            <p className="col-span-2 row-start-2 px-4 pb-3 text-sm text-slate-700 lg:flex-1 lg:px-5">
              Set up two-factor authentication to open the workspace.
            </p>
          ) : (
            <ConsoleNav isAdmin={isAdmin} className="col-span-2 row-start-2 min-w-0 lg:flex-1 lg:overflow-y-auto" />
          )}

          {/* Signed-in user */}
          <div className="col-start-2 row-start-1 flex items-center px-2 lg:block lg:border-t lg:border-slate-200 lg:p-3">
            <div className="hidden items-center gap-3 px-2 pt-1 pb-2 lg:flex">
              <span
                aria-hidden="true"
                className="flex size-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-800"
              >
                {initials(user.name)}
              </span>
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900" title={user.name}>
                  {user.name}
                </p>
                <p className="truncate text-xs text-slate-600" title={user.email}>
                  {user.email}
                </p>
              </div>
            </div>
            {signOutSlot}
          </div>
        </div>
      </header>

      <div className="min-w-0 flex-1">
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto max-w-6xl px-4 py-8 focus:outline-hidden sm:px-6 lg:px-10 lg:py-10"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
