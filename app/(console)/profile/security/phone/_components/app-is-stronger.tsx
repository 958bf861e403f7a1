import { Alert, ButtonLink } from "@/components/ui";

/** S35: SMS is a restricted authenticator (NIST SP 800-63B): said in plain words, with the app offered. */
export function AppIsStronger({ hasApp, setupHref }: { hasApp: boolean; setupHref: string }) {
  return (
    <Alert variant="info" title="An authenticator app is stronger than text messages">
      <p>
        Text messages can be intercepted, and a phone number can be moved to someone else's SIM card. That is why NIST
        treats SMS as a restricted authenticator.{" "}
        {hasApp
          ? "You already use an authenticator app: this phone is a backup."
          : "A phone is better than no second factor, and you can add an app at any time."}
      </p>
      {hasApp ? null : (
        <p className="mt-3">
          <ButtonLink href={setupHref} variant="secondary" size="sm">
            Set up an authenticator app instead
          </ButtonLink>
        </p>
      )}
    </Alert>
  );
}
