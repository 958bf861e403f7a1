"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Select, Spinner } from "@/components/ui";
import { COUNTRY_CODES, countryName } from "@/lib/sms/countries";
import { setSmsCountriesAction } from "./actions";

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";

export interface SmsCardView {
  organizationName: string;
  countries: string[];
  dailyLimit: number;
  sentToday: number;
  refusedToday: number;
  resetsAtText: string;
  perNumber: number;
  perAccount: number;
  perIp: number;
  canEdit: boolean;
}

/** Issue 12 item 6: today's texts against the organization's cap, and the countries texts may go to (owner). */
export function SmsCard({ view }: { view: SmsCardView }) {
  const router = useRouter();
  const selectId = useId();
  const [countries, setCountries] = useState(view.countries);
  const [adding, setAdding] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const changed = countries.join(",") !== view.countries.join(",");
  const choices = useMemo(
    () =>
      COUNTRY_CODES.filter((c) => !countries.includes(c))
        .map((c) => ({ code: c, name: countryName(c) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [countries],
  );
  const usedShare = Math.min(100, Math.round((view.sentToday / Math.max(1, view.dailyLimit)) * 100));

  async function save() {
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      const r = await setSmsCountriesAction({ countries });
      if (r.ok) {
        setSaved(true);
        router.refresh();
      } else setError(r.fieldErrors?.countries ?? r.error);
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Text messages (SMS)"
        description="Codes by text message are capped so that nobody can run up your bill by requesting texts to expensive numbers (SMS pumping)."
      />
      <CardBody className="space-y-6">
        <section aria-labelledby={`${selectId}-today`} className="space-y-2">
          <h3 id={`${selectId}-today`} className="text-sm font-semibold text-slate-900">
            Today
          </h3>
          <p className="text-sm text-slate-700">
            <span data-testid="sms-sent-today" className="text-2xl font-semibold text-slate-900 tabular-nums">
              {view.sentToday}
            </span>{" "}
            of {view.dailyLimit} texts sent today
            {view.refusedToday > 0 ? (
              <>
                {" · "}
                <span className="font-medium text-amber-800">{view.refusedToday} refused</span> (see the audit log)
              </>
            ) : null}
          </p>
          <div
            className="h-2 w-full max-w-md overflow-hidden rounded-full bg-slate-100"
            role="img"
            aria-label={`${usedShare}% of today's limit used`}
          >
            <div
              className={usedShare >= 90 ? "h-full bg-amber-500" : "h-full bg-brand-600"}
              style={{ width: `${usedShare}%` }}
            />
          </div>
          <p className="text-xs text-slate-600">
            Counts start over at {view.resetsAtText}. Every person is also limited: at most {view.perNumber} texts a day
            to one phone number, {view.perAccount} to one account and {view.perIp} from one network.
          </p>
        </section>

        <section aria-labelledby={`${selectId}-countries`} className="space-y-3">
          <h3 id={`${selectId}-countries`} className="text-sm font-semibold text-slate-900">
            Countries texts may go to
          </h3>
          {countries.length === 0 ? (
            <Alert variant="warning">
              No country is allowed yet: nobody in {view.organizationName} can get codes by text message.
              {view.canEdit ? " Add the countries where your people have their phones." : ""}
            </Alert>
          ) : (
            <ul className="flex flex-wrap gap-2" aria-label="Allowed countries">
              {countries.map((c) => (
                <li key={c}>
                  <Badge variant="neutral">
                    {countryName(c)} ({c})
                    {view.canEdit ? (
                      <button
                        type="button"
                        className="ml-1 rounded-sm px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-focus"
                        aria-label={`Remove ${countryName(c)}`}
                        onClick={() => {
                          setSaved(false);
                          setCountries(countries.filter((x) => x !== c));
                        }}
                      >
                        ×
                      </button>
                    ) : null}
                  </Badge>
                </li>
              ))}
            </ul>
          )}
          {view.canEdit ? (
            <div className="space-y-3">
              <div className="flex flex-wrap items-end gap-2">
                <label htmlFor={selectId} className="flex flex-col gap-1 text-sm font-medium text-slate-700">
                  Add a country
                  <Select id={selectId} value={adding} onChange={(e) => setAdding(e.target.value)} className="w-64">
                    <option value="">Choose a country…</option>
                    {choices.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.name} ({c.code})
                      </option>
                    ))}
                  </Select>
                </label>
                <Button
                  variant="secondary"
                  disabled={!adding}
                  onClick={() => {
                    setSaved(false);
                    setCountries([...countries, adding].sort());
                    setAdding("");
                  }}
                >
                  Add country
                </Button>
              </div>
              {error ? <Alert variant="error">{error}</Alert> : null}
              {saved && !changed ? <Alert variant="success">Saved. The change is in the audit log.</Alert> : null}
              <div className="flex flex-wrap gap-2">
                <Button onClick={save} disabled={!changed || pending} aria-busy={pending || undefined}>
                  {pending ? <Spinner /> : null}
                  Save countries
                </Button>
                {changed ? (
                  <Button variant="ghost" disabled={pending} onClick={() => setCountries(view.countries)}>
                    Discard changes
                  </Button>
                ) : null}
              </div>
            </div>
          ) : (
            <p className="text-sm text-slate-600">Only the owner can change the countries.</p>
          )}
        </section>
      </CardBody>
    </Card>
  );
}
