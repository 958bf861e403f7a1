import Link from "next/link";
import { Button, Input, Select } from "@/components/ui";
import { isFiltered, type TableQuery, usersHref } from "./href";

// Search and filters of the Users table: a plain GET form (works without JavaScript; the URL is the state).

export function TableFilters({ query }: { query: TableQuery }) {
  const field = "text-xs font-medium text-slate-700";
  return (
    <search aria-label="Search and filter teammates">
      <form
        method="get"
        action="/settings/users"
        className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-6 py-4"
      >
        <div className="min-w-56 flex-1">
          <label htmlFor="users-q" className={field}>
            Search by name or email
          </label>
          <Input id="users-q" name="q" type="search" defaultValue={query.q} placeholder="e.g. Ana or @acme.test" />
        </div>
        <div>
          <label htmlFor="users-status" className={field}>
            2FA status
          </label>
          <Select id="users-status" name="status" defaultValue={query.status}>
            <option value="any">Any</option>
            <option value="enabled">Enabled</option>
            <option value="not-set-up">Not set up</option>
            <option value="exempt-sso">Exempt (SSO)</option>
            <option value="exempt-until">Exempt until a date</option>
          </Select>
        </div>
        <div>
          <label htmlFor="users-method" className={field}>
            2FA method
          </label>
          <Select id="users-method" name="method" defaultValue={query.method}>
            <option value="any">Any method</option>
            <option value="app">App</option>
            <option value="sms">SMS</option>
            <option value="both">App + SMS</option>
          </Select>
        </div>
        <div>
          <label htmlFor="users-role" className={field}>
            Filter by role
          </label>
          <Select id="users-role" name="role" defaultValue={query.role}>
            <option value="any">Any role</option>
            <option value="owner">Owner</option>
            <option value="admin">Administrator</option>
            <option value="member">Member</option>
          </Select>
        </div>
        <div>
          <label htmlFor="users-type" className={field}>
            Filter by type
          </label>
          <Select id="users-type" name="type" defaultValue={query.type}>
            <option value="any">Any type</option>
            <option value="employee">Employee</option>
            <option value="client">Client</option>
            <option value="contractor">Contractor</option>
          </Select>
        </div>
        {query.sort !== "role" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir !== "asc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        {isFiltered(query) ? (
          <Link
            href={usersHref({ ...query, q: "", status: "any", method: "any", role: "any", type: "any" })}
            className="self-center text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            Clear filters
          </Link>
        ) : null}
      </form>
    </search>
  );
}
