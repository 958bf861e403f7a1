// Links of the Users table: the current query with some parameters changed. Defaults are left out of the URL.

export interface TableQuery {
  q: string;
  status: string;
  /** The 2FA method filter: "app", "sms", "both" or "any" (issue 12). */
  method: string;
  role: string;
  type: string;
  sort: string;
  dir: "asc" | "desc";
}

const DEFAULTS: Record<string, string> = {
  q: "",
  status: "any",
  method: "any",
  role: "any",
  type: "any",
  sort: "role",
  dir: "asc",
};

export function queryString(query: TableQuery, change: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) {
    if (v !== null && v !== undefined && v !== DEFAULTS[k]) params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function usersHref(query: TableQuery, change: Record<string, string | null> = {}): string {
  return `/settings/users${queryString(query, change)}`;
}

export const isFiltered = (q: TableQuery) =>
  q.q !== "" || q.status !== "any" || q.method !== "any" || q.role !== "any" || q.type !== "any";
