// What the "Trusted networks" section hands from the server page to its client components (plain, serializable).

export type TrustedNetworkScopeValue = "EVERYONE" | "MEMBERS_ONLY";

export interface TrustedNetworkRowView {
  id: string;
  label: string;
  cidr: string;
  /** "Ana Pereira · 1 Dec 2026, 14:02" (already in the viewer's time zone). */
  addedText: string;
}

export interface TrustedNetworksView {
  /** Professional/Enterprise: entries can be added and apply at sign-in. */
  available: boolean;
  planName: string;
  scope: TrustedNetworkScopeValue;
  networks: TrustedNetworkRowView[];
  currentIp: string | null;
  currentIpTrustedBy: string | null;
  /** Addresses of the organization's last sign-ins (the live preview), newest first. */
  recentSignInIps: (string | null)[];
}

/** "3 of the last 40 sign-ins came from these networks". */
export function previewSentence(inside: number, total: number, what = "these networks"): string {
  if (total === 0) return "No sign-ins yet to compare with.";
  if (total === 1)
    return inside ? `The only sign-in so far came from ${what}.` : `The only sign-in so far came from elsewhere.`;
  return `${inside} of the last ${total} sign-ins came from ${what}.`;
}
