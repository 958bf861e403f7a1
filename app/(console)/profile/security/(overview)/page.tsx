import type { Metadata } from "next";
import { Alert, Badge, ButtonLink, Card, CardBody, CardHeader, LocalTime, PageHeader } from "@/components/ui";
import { readRememberedDeviceCookie } from "@/lib/auth/cookies";
import { pageUser } from "@/lib/auth/guards";
import { deviceName } from "@/lib/format/user-agent";
import { placeName } from "@/lib/net/country";
import { listActiveSessions } from "@/lib/services/sessions/active-session";
import { listMyRememberedDevices } from "@/lib/services/trusted-access/my-devices";
import { appRemovalRefusal } from "@/lib/services/two-factor/disable";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { smsAllowedFor } from "@/lib/services/two-factor/phone-common";
import { phoneRemovalRefusal } from "@/lib/services/two-factor/phone-disable";
import { ownTwoFactorStatus } from "../../../_components/own-two-factor-status";
import { PhoneSection } from "../phone/_components/phone-section";
import { ForgetAllDevicesButton, RememberedDevicesList } from "../remembered-devices";
import { SessionRow } from "../session-row";
import { SignOutOthersButton } from "../sign-out-others";
import { StartEnrollmentButton } from "../two-factor/start-button";

export const metadata: Metadata = { title: "Security" };

/** What the phone pages' redirects say (issue 12). */
const PHONE_NOTICES: Record<string, { variant: "success" | "info"; text: string }> = {
  added: {
    variant: "success",
    text: "Your phone is added. Your other sessions were signed out; we emailed you a confirmation.",
  },
  changed: {
    variant: "success",
    text: "Your phone number was changed. Your other sessions were signed out; we emailed you a confirmation.",
  },
  removed: { variant: "info", text: "Text-message codes are off; your authenticator app still protects your account." },
  off: {
    variant: "info",
    text: "Text-message codes are off, and with them two-factor authentication. We emailed you a confirmation.",
  },
};

export default async function ProfileSecurityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const current = await pageUser();
  const [sessions, status, requirements, refusal, devices, smsAllowed, phoneRefusal] = await Promise.all([
    listActiveSessions(current.user.id),
    ownTwoFactorStatus(current.user.id),
    enrollmentRequirements({ actor: { userId: current.user.id } }),
    // While an organization requires 2FA there is no "Turn off" (S24): say why, and who can help. A phone that stays
    // keeps 2FA on, so the app can still go (issue 12).
    appRemovalRefusal({ actor: { userId: current.user.id } }),
    // Issue 11: browsers that skip the second step ("remember this device").
    listMyRememberedDevices({
      actor: { userId: current.user.id },
      input: { currentToken: await readRememberedDeviceCookie() },
    }),
    smsAllowedFor({ actor: { userId: current.user.id } }),
    phoneRemovalRefusal({ actor: { userId: current.user.id } }),
  ]);
  const phoneNotice = PHONE_NOTICES[params.phone ?? ""];
  const hasPassword = requirements.needsPassword;
  /** Other sessions the password change signed out (from the form's redirect: only a small number is shown). */
  const signedOut = /^\d{1,4}$/.test(params.others ?? "") ? Number(params.others) : 0;
  const others = sessions.filter((s) => s.id !== current.session.id).length;
  return (
    <div className="space-y-6">
      <PageHeader title="Security" description="Your sign-in methods and the devices signed in to your account." />
      {params.twoFactor === "off" ? (
        <Alert variant="info">Two-factor authentication is off. We emailed you a confirmation.</Alert>
      ) : null}
      {params.twoFactor === "app-removed" ? (
        <Alert variant="info">
          The authenticator app is removed. Text-message codes keep two-factor authentication on; we emailed you a
          confirmation.
        </Alert>
      ) : null}
      {phoneNotice ? <Alert variant={phoneNotice.variant}>{phoneNotice.text}</Alert> : null}
      {params.password === "changed" ? (
        <Alert variant="success" title="Your password was changed">
          {signedOut > 0
            ? `${signedOut === 1 ? "1 other session was" : `${signedOut} other sessions were`} signed out; this device stays signed in.`
            : "This device stays signed in."}{" "}
          We emailed you a confirmation.
        </Alert>
      ) : null}
      <Card>
        <CardHeader
          title="Two-factor authentication"
          description="A code from an authenticator app on your phone, or by text message, asked after your password."
          actions={status.anyFactor ? <Badge variant="success">On</Badge> : <Badge variant="warning">Off</Badge>}
        />
        <CardBody className="space-y-5">
          {status.enabled ? (
            <>
              <dl className="grid gap-4 text-sm sm:grid-cols-3">
                <div>
                  <dt className="text-slate-600">Method</dt>
                  <dd className="font-medium text-slate-900">Authenticator app</dd>
                </div>
                <div>
                  <dt className="text-slate-600">Turned on</dt>
                  <dd className="font-medium text-slate-900">
                    <LocalTime value={status.confirmedAt} format="day" />
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-600">Last used</dt>
                  <dd className="font-medium text-slate-900">
                    <LocalTime value={status.lastUsedAt} format="day" />
                  </dd>
                </div>
              </dl>
              <div className="rounded-lg border border-slate-200 p-4">
                <p className="text-sm font-medium text-slate-900" data-testid="recovery-remaining">
                  Recovery codes: {status.recoveryCodesRemaining} of {status.recoveryCodesTotal} left
                </p>
                {status.recoveryCodesRemaining <= 3 ? (
                  <p className="mt-1 text-sm text-amber-800">
                    Running low: generate a new set so you cannot get locked out.
                  </p>
                ) : (
                  <p className="mt-1 text-sm text-slate-600">Use one if you lose your phone. Each works once.</p>
                )}
              </div>
              <div className="flex flex-wrap gap-3">
                <ButtonLink href="/profile/security/two-factor/recovery-codes" variant="secondary">
                  Generate new recovery codes
                </ButtonLink>
                <StartEnrollmentButton label="Move to a new phone" variant="secondary" />
                {refusal ? null : (
                  <ButtonLink href="/profile/security/two-factor/disable" variant="danger">
                    {status.phone ? "Remove app" : "Turn off"}
                  </ButtonLink>
                )}
              </div>
              {refusal ? (
                <p className="text-sm text-slate-700" data-testid="turn-off-refused">
                  <span className="font-medium text-slate-900">Two-factor authentication cannot be turned off.</span>{" "}
                  {refusal}
                </p>
              ) : null}
            </>
          ) : status.phone ? (
            <>
              <div className="rounded-lg border border-slate-200 p-4">
                <p className="text-sm font-medium text-slate-900" data-testid="recovery-remaining">
                  Recovery codes: {status.recoveryCodesRemaining} of {status.recoveryCodesTotal} left
                </p>
                <p className="mt-1 text-sm text-slate-600">Use one if you lose your phone. Each works once.</p>
              </div>
              <div className="flex flex-wrap gap-3">
                <ButtonLink href="/profile/security/two-factor/recovery-codes" variant="secondary">
                  Generate new recovery codes
                </ButtonLink>
              </div>
              <p className="text-sm text-slate-700">
                <span className="font-medium text-slate-900">Authenticator app: not set up.</span> An app is the
                stronger second factor: its codes never travel over the phone network.
              </p>
              <StartEnrollmentButton label="Set up authenticator app" />
            </>
          ) : (
            <>
              <p className="text-sm text-slate-700">
                Without it, anyone who learns your password can sign in as you. Setting it up takes about a minute.
              </p>
              <StartEnrollmentButton label="Set up authenticator app" />
            </>
          )}
          <PhoneSection
            phone={status.phone}
            allowed={smsAllowed}
            hasApp={status.enabled}
            removalRefusal={phoneRefusal}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Password"
          description={
            hasPassword
              ? "Changing it signs out your other sessions."
              : "You sign in through your organization's single sign-on: there is no Twofold password."
          }
          actions={
            hasPassword ? (
              <ButtonLink href="/profile/security/password" variant="secondary">
                Change password
              </ButtonLink>
            ) : null
          }
        />
      </Card>
      <Card>
        <CardHeader
          title="Active sessions"
          description="Sign out any session you do not recognise."
          actions={others > 0 ? <SignOutOthersButton count={others} /> : null}
        />
        <CardBody className="p-0">
          <ul className="divide-y divide-slate-200">
            {sessions.map((s) => (
              <SessionRow
                key={s.id}
                sessionId={s.id}
                device={deviceName(s.userAgent)}
                ip={s.ip ?? "unknown IP"}
                place={placeName(s.country)}
                createdAt={s.createdAt.toISOString()}
                lastSeenAt={s.lastSeenAt.toISOString()}
                current={s.id === current.session.id}
                badge={s.id === current.session.id ? <Badge variant="success">This device</Badge> : null}
              />
            ))}
          </ul>
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Remembered devices"
          description="Browsers where you chose “Remember this device”: they sign in without a code until they expire."
          actions={devices.length > 0 ? <ForgetAllDevicesButton count={devices.length} /> : null}
        />
        <CardBody className="p-0">
          <RememberedDevicesList
            devices={devices.map((d) => ({
              id: d.id,
              name: d.name,
              place: placeName(d.country),
              createdAt: d.createdAt.toISOString(),
              lastUsedAt: d.lastUsedAt.toISOString(),
              expiresAt: d.expiresAt.toISOString(),
              current: d.current,
            }))}
          />
        </CardBody>
      </Card>
    </div>
  );
}
