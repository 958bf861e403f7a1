import type { ReactElement } from "react";
import {
  type AccountLockedData,
  AccountLockedEmail,
  type AccountUnlockedData,
  AccountUnlockedEmail,
  accountLockedSubject,
} from "./account-locked";
import { type EmailCodeData, EmailCodeEmail } from "./email-code";
import { type ExemptionData, ExemptionEmail, type ExemptionKind, exemptionSubject } from "./exemption";
import { type InvitationData, InvitationEmail } from "./invitation";
import { type OrgTwoFactorData, OrgTwoFactorEmail, orgTwoFactorSubject } from "./org-two-factor";
import {
  type OwnershipTransferredData,
  OwnershipTransferredEmail,
  ownershipTransferredSubject,
} from "./ownership-transferred";
import {
  type PasswordChangedData,
  PasswordChangedEmail,
  type PasswordResetData,
  PasswordResetEmail,
  passwordChangedSubject,
} from "./password";
import {
  type RecoveryCodeAdminAlertData,
  RecoveryCodeAdminAlertEmail,
  recoveryCodeAdminAlertSubject,
} from "./recovery-code-admin-alert";

import { type RecoveryCodesIssuedData, RecoveryCodesIssuedEmail } from "./recovery-codes-issued";
import {
  type NewSignInData,
  type PhoneEventData,
  type RecoveryCodeUsedData,
  type SecondFactorFailuresData,
  type SecurityEventData,
  SecurityNoticeEmail,
  type SecurityNoticeKind,
  securityCopy,
} from "./security-notice";
import { type SignedOutByAdminData, SignedOutByAdminEmail, signedOutByAdminSubject } from "./signed-out-by-admin";
import { type TwoFactorReminderData, TwoFactorReminderEmail } from "./two-factor-reminder";
import { type TwoFactorResetData, TwoFactorResetEmail } from "./two-factor-reset";
import { type UpgradeRequestData, UpgradeRequestEmail, upgradeRequestSubject } from "./upgrade-request";
import { type WelcomeData, WelcomeEmail } from "./welcome";

/**
 * Every email Twofold sends: template name → the data it needs. `enqueueMail` is typed from this map.
 * To add a template: add its data type here, write its component, and add its entry to `registry` below
 * (the compiler insists on the last step).
 */
export interface MailTemplates {
  welcome: WelcomeData;
  invitation: InvitationData;
  "two-factor-enabled": SecurityEventData;
  "two-factor-disabled": SecurityEventData;
  "recovery-codes-regenerated": SecurityEventData;
  "recovery-code-used": RecoveryCodeUsedData;
  "totp-replay": SecurityEventData;
  "second-factor-failures": SecondFactorFailuresData;
  "two-factor-reset": TwoFactorResetData;
  "recovery-codes-issued": RecoveryCodesIssuedData;
  "ownership-transferred": OwnershipTransferredData;
  "two-factor-reminder": TwoFactorReminderData;
  "org-two-factor": OrgTwoFactorData;
  "email-code": EmailCodeData;
  // Lockouts (issue 9 item 3)
  "account-locked": AccountLockedData;
  "account-unlocked": AccountUnlockedData;
  // Plans (issue 15)
  "upgrade-request": UpgradeRequestData;
  // A mail for every event (issue 10, item 8)
  "two-factor-replaced": SecurityEventData;
  "exemption-granted": ExemptionData;
  "exemption-changed": ExemptionData;
  "exemption-ended": ExemptionData;
  "recovery-code-admin-alert": RecoveryCodeAdminAlertData;
  // Passwords (issue 10 items 1 and 2)
  "password-reset": PasswordResetData;
  "password-changed": PasswordChangedData;
  // Admin sign-out everywhere (issue 10 item 3)
  "signed-out-by-admin": SignedOutByAdminData;
  // Trusted access (issue 11): a first sign-in from a new device or country
  "new-sign-in": NewSignInData;
  // A phone for SMS codes (issue 12)
  "phone-added": PhoneEventData;
  "phone-changed": PhoneEventData;
  "phone-removed": PhoneEventData;
  "app-removed": SecurityEventData;
}

export type TemplateName = keyof MailTemplates;

export interface TemplateDefinition<D> {
  subject: (data: D) => string;
  element: (data: D) => ReactElement;
}

const exemption = (kind: ExemptionKind): TemplateDefinition<ExemptionData> => ({
  subject: exemptionSubject(kind),
  element: (data) => <ExemptionEmail kind={kind} data={data} />,
});

const securityNotice = <K extends SecurityNoticeKind>(kind: K): TemplateDefinition<MailTemplates[K]> => ({
  subject: () => securityCopy[kind].subject,
  element: (data) => <SecurityNoticeEmail kind={kind} data={data} />,
});

export const registry: { [K in TemplateName]: TemplateDefinition<MailTemplates[K]> } = {
  welcome: {
    subject: (d) => `Welcome to Twofold: ${d.organizationName} is ready`,
    element: (d) => <WelcomeEmail {...d} />,
  },
  invitation: {
    subject: (d) => `${d.inviterName} invited you to ${d.organizationName} on Twofold`,
    element: (d) => <InvitationEmail {...d} />,
  },
  "two-factor-enabled": securityNotice("two-factor-enabled"),
  "two-factor-disabled": securityNotice("two-factor-disabled"),
  "recovery-codes-regenerated": securityNotice("recovery-codes-regenerated"),
  "recovery-code-used": securityNotice("recovery-code-used"),
  "totp-replay": securityNotice("totp-replay"),
  "second-factor-failures": securityNotice("second-factor-failures"),
  "new-sign-in": securityNotice("new-sign-in"),
  "phone-added": securityNotice("phone-added"),
  "phone-changed": securityNotice("phone-changed"),
  "phone-removed": securityNotice("phone-removed"),
  "app-removed": securityNotice("app-removed"),
  "two-factor-reset": {
    subject: (d) => `${d.adminName} reset your two-factor authentication`,
    element: (d) => <TwoFactorResetEmail {...d} />,
  },
  "recovery-codes-issued": {
    subject: (d) => `${d.adminName} created new recovery codes for you`,
    element: (d) => <RecoveryCodesIssuedEmail {...d} />,
  },
  "ownership-transferred": {
    subject: ownershipTransferredSubject,
    element: (d) => <OwnershipTransferredEmail {...d} />,
  },
  "two-factor-reminder": {
    subject: (d) => `${d.adminName} asks you to set up two-factor authentication`,
    element: (d) => <TwoFactorReminderEmail {...d} />,
  },
  "org-two-factor": { subject: orgTwoFactorSubject, element: (d) => <OrgTwoFactorEmail {...d} /> },
  "email-code": {
    subject: (d) => `Your Twofold setup code: ${d.code}`,
    element: (d) => <EmailCodeEmail {...d} />,
  },
  // Lockouts (issue 9 item 3)
  "account-locked": { subject: accountLockedSubject, element: (d) => <AccountLockedEmail {...d} /> },
  "account-unlocked": {
    subject: (d) => `${d.adminName} unlocked your Twofold account`,
    element: (d) => <AccountUnlockedEmail {...d} />,
  },
  // Plans (issue 15)
  "upgrade-request": { subject: upgradeRequestSubject, element: (d) => <UpgradeRequestEmail {...d} /> },
  // A mail for every event (issue 10, item 8)
  "two-factor-replaced": securityNotice("two-factor-replaced"),
  "exemption-granted": exemption("exemption-granted"),
  "exemption-changed": exemption("exemption-changed"),
  "exemption-ended": exemption("exemption-ended"),
  "recovery-code-admin-alert": {
    subject: recoveryCodeAdminAlertSubject,
    element: (d) => <RecoveryCodeAdminAlertEmail {...d} />,
  },
  // Passwords (issue 10 items 1 and 2)
  "password-reset": {
    subject: () => "Reset your Twofold password",
    element: (d) => <PasswordResetEmail {...d} />,
  },
  "password-changed": { subject: passwordChangedSubject, element: (d) => <PasswordChangedEmail {...d} /> },
  // Admin sign-out everywhere (issue 10 item 3)
  "signed-out-by-admin": { subject: signedOutByAdminSubject, element: (d) => <SignedOutByAdminEmail {...d} /> },
};

export type {
  AccountLockedData,
  AccountUnlockedData,
  EmailCodeData,
  ExemptionData,
  InvitationData,
  OrgTwoFactorData,
  OwnershipTransferredData,
  PasswordChangedData,
  PasswordResetData,
  RecoveryCodeAdminAlertData,
  RecoveryCodesIssuedData,
  RecoveryCodeUsedData,
  SecondFactorFailuresData,
  SecurityEventData,
  SignedOutByAdminData,
  TwoFactorReminderData,
  TwoFactorResetData,
  UpgradeRequestData,
  WelcomeData,
};
