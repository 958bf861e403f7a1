import type { ReactNode } from "react";

/** 20px outline icons for navigation. Decorative: the link text names the destination. */
function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="size-[1.125rem] shrink-0"
    >
      {children}
    </svg>
  );
}

export const HomeIcon = () => (
  <Icon>
    <path d="M3.5 8.75 10 3.5l6.5 5.25V16a.75.75 0 0 1-.75.75H12.5v-4.5h-5v4.5H4.25A.75.75 0 0 1 3.5 16z" />
  </Icon>
);

export const ShieldIcon = () => (
  <Icon>
    <path d="M10 2.75 4 5v4.75c0 3.6 2.5 6.5 6 7.5 3.5-1 6-3.9 6-7.5V5z" />
    <path d="m7.5 10 1.75 1.75L12.75 8.5" />
  </Icon>
);

export const UsersIcon = () => (
  <Icon>
    <circle cx="7.5" cy="7" r="2.75" />
    <path d="M2.75 16.25c.5-2.6 2.4-4.25 4.75-4.25s4.25 1.65 4.75 4.25" />
    <path d="M13 4.5a2.5 2.5 0 0 1 0 5M14.5 12.25c1.45.5 2.45 1.9 2.75 4" />
  </Icon>
);

export const LockIcon = () => (
  <Icon>
    <rect x="4" y="8.75" width="12" height="8.5" rx="1.5" />
    <path d="M6.75 8.75V6.5a3.25 3.25 0 0 1 6.5 0v2.25M10 12.25v1.5" />
  </Icon>
);

export const CrownIcon = () => (
  <Icon>
    <path d="M3.5 6.5 6.75 10 10 4.5l3.25 5.5 3.25-3.5-1.25 8.25H4.75z" />
    <path d="M4.75 16.75h10.5" />
  </Icon>
);

export const ListIcon = () => (
  <Icon>
    <rect x="3.5" y="3" width="13" height="14" rx="1.5" />
    <path d="M6.75 7h6.5M6.75 10h6.5M6.75 13h4" />
  </Icon>
);
