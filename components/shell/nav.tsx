"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { CrownIcon, HomeIcon, ListIcon, LockIcon, ShieldIcon, UsersIcon } from "./icons";

interface NavItem {
  href: string;
  label: string;
  /** Shorter/clearer text for the horizontal bar on small screens, where group headings are hidden. */
  mobileLabel?: string;
  icon: ReactNode;
  adminOnly?: boolean;
}

interface NavGroup {
  id: string;
  label?: string;
  items: NavItem[];
}

const GROUPS: NavGroup[] = [
  {
    id: "general",
    items: [
      { href: "/dashboard", label: "Dashboard", icon: <HomeIcon /> },
      { href: "/audit-log", label: "Audit log", icon: <ListIcon />, adminOnly: true },
    ],
  },
  {
    id: "profile",
    label: "Profile",
    items: [{ href: "/profile/security", label: "Security", mobileLabel: "My security", icon: <ShieldIcon /> }],
  },
  {
    id: "settings",
    label: "Settings",
    items: [
      { href: "/settings/users", label: "Users", icon: <UsersIcon />, adminOnly: true },
      { href: "/settings/security", label: "Organization security", icon: <LockIcon />, adminOnly: true },
      { href: "/settings/owner", label: "Owner", icon: <CrownIcon /> },
    ],
  },
];

const isActive = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** The console navigation: a vertical list in the sidebar, a horizontal scrolling bar on small screens. */
export function ConsoleNav({ isAdmin, className }: { isAdmin: boolean; className?: string }) {
  const pathname = usePathname() ?? "";
  const groups = GROUPS.map((g) => ({ ...g, items: g.items.filter((i) => isAdmin || !i.adminOnly) })).filter(
    (g) => g.items.length > 0,
  );
  return (
    <nav aria-label="Console" className={className}>
      <div className="relative flex gap-1 overflow-x-auto px-3 pb-2.5 lg:flex-col lg:gap-6 lg:overflow-visible lg:px-3 lg:py-2">
        {groups.map((group) => {
          const headingId = `nav-${group.id}`;
          return (
            <div key={group.id} className="flex shrink-0 lg:block">
              {group.label ? (
                <p id={headingId} className="mb-1.5 hidden px-2.5 text-xs font-medium text-slate-500 lg:block">
                  {group.label}
                </p>
              ) : null}
              <ul aria-labelledby={group.label ? headingId : undefined} className="flex gap-1 lg:flex-col lg:gap-0.5">
                {group.items.map((item) => {
                  const active = isActive(pathname, item.href);
                  return (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        aria-current={active ? "page" : undefined}
                        className={cn(
                          "group flex items-center gap-2.5 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors",
                          "focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-focus",
                          active
                            ? "bg-brand-50 text-brand-800"
                            : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                        )}
                      >
                        <span
                          className={cn(
                            "hidden sm:inline-flex",
                            active ? "text-brand-700" : "text-slate-500 group-hover:text-slate-700",
                          )}
                        >
                          {item.icon}
                        </span>
                        {item.mobileLabel ? (
                          <>
                            <span className="lg:hidden">{item.mobileLabel}</span>
                            <span className="hidden lg:inline">{item.label}</span>
                          </>
                        ) : (
                          item.label
                        )}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </div>
    </nav>
  );
}
