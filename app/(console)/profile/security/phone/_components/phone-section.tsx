import { Badge, ButtonLink, LocalTime } from "@/components/ui";

export interface PhoneSectionProps {
  phone: { masked: string; confirmedAt: Date; lastUsedAt: Date | null } | null;
  /** No organization of the person forbids SMS. */
  allowed: boolean;
  hasApp: boolean;
  /** Why the phone cannot be removed (it is the only factor and an organization requires 2FA), or null. */
  removalRefusal: string | null;
}

/** Profile › Security: the phone for text-message codes (issue 12). Hidden where SMS is forbidden and none is set. */
export function PhoneSection({ phone, allowed, hasApp, removalRefusal }: PhoneSectionProps) {
  if (!phone && !allowed) return null;
  return (
    <section
      aria-labelledby="phone-heading"
      className="space-y-3 border-t border-slate-200 pt-5"
      data-testid="phone-section"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="phone-heading" className="text-sm font-semibold text-slate-900">
          Text message (SMS)
        </h3>
        {phone ? <Badge variant="success">On</Badge> : <Badge variant="neutral">Not set up</Badge>}
      </div>
      {phone ? (
        <>
          <dl className="grid gap-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-600">Phone</dt>
              <dd className="font-mono font-medium text-slate-900" data-testid="phone-number">
                {phone.masked}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Added</dt>
              <dd className="font-medium text-slate-900">
                <LocalTime value={phone.confirmedAt} format="day" />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Last used</dt>
              <dd className="font-medium text-slate-900">
                <LocalTime value={phone.lastUsedAt} format="day" />
              </dd>
            </div>
          </dl>
          {!allowed ? (
            <p className="text-sm font-medium text-amber-800">
              Your organization no longer allows text-message codes: set up an authenticator app, then remove this
              phone.
            </p>
          ) : !hasApp ? (
            <p className="text-sm text-slate-700">
              An authenticator app is stronger than text messages (NIST treats SMS as a restricted authenticator: texts
              can be intercepted and numbers taken over). Add one, and keep this phone as a backup.
            </p>
          ) : (
            <p className="text-sm text-slate-600">A backup to your authenticator app.</p>
          )}
          <div className="flex flex-wrap gap-3">
            {allowed ? (
              <ButtonLink href="/profile/security/phone/change" variant="secondary">
                Change number
              </ButtonLink>
            ) : null}
            {removalRefusal ? null : (
              <ButtonLink href="/profile/security/phone/remove" variant="danger">
                Turn off SMS
              </ButtonLink>
            )}
          </div>
          {removalRefusal ? (
            <p className="text-sm text-slate-700" data-testid="phone-removal-refused">
              <span className="font-medium text-slate-900">SMS cannot be turned off while it is your only factor.</span>{" "}
              {removalRefusal}
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            {hasApp
              ? "A backup to your app: codes by text message if your app is not at hand."
              : "Codes by text message to your mobile. An authenticator app is stronger (NIST treats SMS as a restricted authenticator: texts can be intercepted and numbers taken over), but a phone is better than no second factor."}
          </p>
          <ButtonLink href="/profile/security/phone/add" variant="secondary">
            Add a phone
          </ButtonLink>
        </>
      )}
    </section>
  );
}
