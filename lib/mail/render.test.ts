import { describe, expect, it } from "vitest";
import { isTemplateName, type MailTemplates, renderMail, renderStoredMail, type TemplateName } from "./render";

const at = "2026-11-22T19:42:00.000Z";
const invitation: MailTemplates["invitation"] = {
  organizationName: "Acme Corp",
  inviterName: "Olivia Owner",
  role: "ADMIN",
  acceptUrl: "https://twofold.example/invite/tok_abc123",
  expiresAt: "2026-11-29T19:42:00.000Z",
};

const samples: { [K in TemplateName]: MailTemplates[K] } = {
  welcome: { name: "Ann", organizationName: "Acme Corp", signInUrl: "https://twofold.example/sign-in" },
  invitation,
  "two-factor-enabled": { name: "Ann", ip: "203.0.113.9", userAgent: "Firefox on Linux", at },
  "two-factor-disabled": { name: "Ann", at },
  "recovery-codes-regenerated": { name: "Ann", ip: "203.0.113.9", at },
  "recovery-code-used": { name: "Ann", remaining: 7, at },
  "totp-replay": { name: "Ann", ip: "198.51.100.7", at },
  "second-factor-failures": { name: "Ann", ip: "198.51.100.7", at, failures: 5 },
  "two-factor-reset": {
    name: "Ann",
    adminName: "Olivia Owner",
    organizationName: "Acme Corp",
    at,
    reEnrollUrl: "https://twofold.example/re-enroll/tok_xyz789",
    expiresAt: "2026-11-23T19:42:00.000Z",
  },
  "recovery-codes-issued": {
    name: "Ann",
    adminName: "Olivia Owner",
    organizationName: "Acme Corp",
    at,
    codes: ["7hq2k-9xv3m-c4pwd-r8tne", "abcde-fghjk-mnpqr-stvwx"],
  },
  "ownership-transferred": {
    recipient: "new-owner",
    name: "Ada",
    organizationName: "Acme Corp",
    previousOwnerName: "Olivia Owner",
    newOwnerName: "Ada Admin",
    at,
    ip: "203.0.113.9",
  },
  "two-factor-reminder": {
    name: "Ann",
    adminName: "Olivia Owner",
    organizationName: "Acme Corp",
    setupUrl: "https://twofold.example/profile/security/two-factor/setup",
    exemptUntil: "2026-11-29T19:42:00.000Z",
  },
  "org-two-factor": {
    kind: "enrol",
    name: "Ann",
    organizationName: "Acme Corp",
    adminName: "Olivia Owner",
    mode: "GRACE",
    deadline: "2026-12-08T19:42:00.000Z",
    setupUrl: "https://twofold.example/profile/security/two-factor/setup",
  },
  "email-code": { name: "Ann", code: "482913", minutes: 10, ip: "203.0.113.9" },
  "account-locked": {
    name: "Ann",
    factor: "password",
    scope: "network",
    until: "2026-11-22T19:57:00.000Z",
    ip: "198.51.100.7",
    at,
  },
  "account-unlocked": {
    name: "Ann",
    adminName: "Olivia Owner",
    organizationName: "Acme Corp",
    factors: ["password", "second-factor"],
    at,
  },
  "password-reset": {
    name: "Ann",
    resetUrl: "https://twofold.example/reset-password/tok_reset42",
    expiresAt: "2026-11-22T20:12:00.000Z",
    ip: "203.0.113.9",
    at,
  },
  "password-changed": { name: "Ann", how: "changed", sessionsRevoked: 2, ip: "203.0.113.9", at },
  "upgrade-request": {
    recipient: "sales",
    organizationName: "Acme Corp",
    organizationSlug: "acme-corp",
    currentPlan: "Free",
    plan: "Professional",
    seats: 40,
    message: "We are rolling out 2FA to everyone.",
    requestedByName: "Olivia Owner",
    requestedByEmail: "olivia@acme.test",
    at,
  },
  // issue 10, item 8 (their own assertions: event-mails.test.ts)
  "two-factor-replaced": { name: "Ann", ip: "203.0.113.9", at },
  // issue 11
  "new-sign-in": { name: "Ann", ip: "203.0.113.9", at, place: "Germany", device: "Chrome on macOS" },
  // issue 12: a phone for SMS codes
  "phone-added": { name: "Ann", ip: "203.0.113.9", at, phoneLast4: "3456" },
  "phone-changed": { name: "Ann", at, phoneLast4: "9876", previousLast4: "3456" },
  "phone-removed": { name: "Ann", at, phoneLast4: "3456", stillProtected: true },
  "app-removed": { name: "Ann", at },
  "exemption-granted": {
    name: "Ann",
    organizationName: "Acme Corp",
    adminName: "Olivia Owner",
    until: "2026-11-29T19:42:00.000Z",
    reason: "new phone next week",
    at,
  },
  "exemption-changed": {
    name: "Ann",
    organizationName: "Acme Corp",
    adminName: "Olivia Owner",
    until: "2026-12-22T19:42:00.000Z",
    previousUntil: "2026-11-29T19:42:00.000Z",
    at,
  },
  "exemption-ended": { name: "Ann", organizationName: "Acme Corp", adminName: "Olivia Owner", mustSetUp: true, at },
  "recovery-code-admin-alert": {
    name: "Olivia",
    memberName: "Ann Member",
    memberEmail: "ann@acme.test",
    organizationName: "Acme Corp",
    remaining: 9,
    at,
  },
  "signed-out-by-admin": {
    name: "Ann",
    adminName: "Olivia Owner",
    organizationName: "Acme Corp",
    at,
    sessionsRevoked: 2,
  },
};

describe("mail templates", () => {
  it("invitation: subject names inviter and organization; text and HTML carry the accept link", async () => {
    const mail = await renderMail("invitation", invitation);
    expect(mail.subject).toBe("Olivia Owner invited you to Acme Corp on Twofold");
    expect(mail.text).toContain(invitation.acceptUrl);
    expect(mail.text).toContain("as an admin");
    expect(mail.text).toContain("29 November 2026 at 19:42 UTC");
    expect(mail.html).toContain(`href="${invitation.acceptUrl}"`);
    expect(mail.text).not.toMatch(/<[a-z]/i); // a real plain-text alternative, not HTML
  });

  it("escapes user-controlled names in the HTML", async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const mail = await renderMail("invitation", { ...invitation, inviterName: evil, organizationName: `Org ${evil}` });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img src=x");
    expect(mail.html).toContain("&lt;script&gt;");
    const welcome = await renderMail("welcome", { ...samples.welcome, name: evil });
    expect(welcome.html).not.toContain("<script>");
    expect(welcome.html).toContain("&lt;script&gt;");
  });

  it("keeps the subject on one header line", async () => {
    const mail = await renderMail("invitation", { ...invitation, inviterName: "Eve\r\nBcc: victim@example.com" });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toBe("Eve Bcc: victim@example.com invited you to Acme Corp on Twofold");
  });

  it("welcome: text carries the sign-in link", async () => {
    const mail = await renderMail("welcome", samples.welcome);
    expect(mail.subject).toBe("Welcome to Twofold: Acme Corp is ready");
    expect(mail.text).toContain("https://twofold.example/sign-in");
  });

  it("security notices show when, where and what is left", async () => {
    const used = await renderMail("recovery-code-used", samples["recovery-code-used"]);
    expect(used.text).toContain("7 recovery codes remain");
    expect(used.text).toContain("22 November 2026 at 19:42 UTC");
    const low = await renderMail("recovery-code-used", { ...samples["recovery-code-used"], remaining: 1 });
    expect(low.text).toContain("1 recovery code remains");
    expect(low.text).toContain("Create a new set");
    const failures = await renderMail("second-factor-failures", samples["second-factor-failures"]);
    expect(failures.text).toContain("5 wrong two-factor codes");
    expect(failures.text).toContain("IP address: 198.51.100.7");
    const disabled = await renderMail("two-factor-disabled", samples["two-factor-disabled"]);
    expect(disabled.text).not.toContain("IP address"); // absent details are left out, not shown empty
  });

  it("password mails: the reset link and its expiry; the change notice says who stays signed in", async () => {
    const reset = await renderMail("password-reset", samples["password-reset"]);
    expect(reset.subject).toBe("Reset your Twofold password");
    expect(reset.text).toContain("https://twofold.example/reset-password/tok_reset42");
    expect(reset.text).toContain("22 November 2026 at 20:12 UTC");
    expect(reset.text).toContain("Two-factor authentication stays on");
    const changed = await renderMail("password-changed", samples["password-changed"]);
    expect(changed.subject).toBe("Your Twofold password was changed");
    expect(changed.text).toContain("2 other sessions were signed out");
    const byLink = await renderMail("password-changed", { ...samples["password-changed"], how: "reset" });
    expect(byLink.text).toContain("signed out on every device");
  });

  it("admin 2FA mails: the reset names the admin, the link and its expiry; issued codes are all listed", async () => {
    const reset = await renderMail("two-factor-reset", samples["two-factor-reset"]);
    expect(reset.subject).toBe("Olivia Owner reset your two-factor authentication");
    expect(reset.text).toContain("Olivia Owner, an administrator of Acme Corp");
    expect(reset.text).toContain("22 November 2026 at 19:42 UTC");
    expect(reset.text).toContain("https://twofold.example/re-enroll/tok_xyz789");
    expect(reset.text).toContain("expires on 23 November 2026 at 19:42 UTC");
    expect(reset.html).toContain('href="https://twofold.example/re-enroll/tok_xyz789"');
    const issued = await renderMail("recovery-codes-issued", samples["recovery-codes-issued"]);
    expect(issued.subject).toBe("Olivia Owner created new recovery codes for you");
    for (const code of samples["recovery-codes-issued"].codes) {
      expect(issued.text).toContain(code);
      expect(issued.html).toContain(code);
    }
  });

  it("ownership transfer: each side gets its own subject and what changed for them", async () => {
    const toNew = await renderMail("ownership-transferred", samples["ownership-transferred"]);
    expect(toNew.subject).toBe("You are now the owner of Acme Corp");
    expect(toNew.text).toContain("Olivia Owner made you the owner of Acme Corp");
    expect(toNew.text).toContain("New owner: Ada Admin");
    expect(toNew.text).toContain("22 November 2026 at 19:42 UTC");
    const toPrevious = await renderMail("ownership-transferred", {
      ...samples["ownership-transferred"],
      recipient: "previous-owner",
      name: "Olivia",
    });
    expect(toPrevious.subject).toBe("You transferred ownership of Acme Corp to Ada Admin");
    expect(toPrevious.text).toContain("You are now an administrator");
    expect(toPrevious.text).toContain("If you did not do this");
  });

  it("lockouts: the lock mail says what, from where and until when; the unlock names the admin", async () => {
    const locked = await renderMail("account-locked", samples["account-locked"]);
    expect(locked.subject).toBe("Sign-in to your Twofold account is paused after failed attempts");
    expect(locked.text).toContain("too many wrong passwords for your account from one network");
    expect(locked.text).toContain("Locked until: 22 November 2026 at 19:57 UTC");
    expect(locked.text).toContain("IP address: 198.51.100.7");
    expect(locked.text).toContain("ask an administrator of your organization to unlock");
    const twoFactor = await renderMail("account-locked", {
      ...samples["account-locked"],
      factor: "second-factor",
      scope: undefined,
      until: "2126-11-22T19:42:00.000Z",
    });
    expect(twoFactor.subject).toBe("Two-factor sign-in to your Twofold account is locked after wrong codes");
    expect(twoFactor.text).toContain("Locked until: an administrator unlocks it");
    expect(twoFactor.text).toContain("recovery code");
    const unlocked = await renderMail("account-unlocked", samples["account-unlocked"]);
    expect(unlocked.subject).toBe("Olivia Owner unlocked your Twofold account");
    expect(unlocked.text).toContain("unlocked password sign-in and two-factor sign-in on your account");
    expect(unlocked.text).toContain("an administrator of Acme Corp");
  });

  it("admin sign-out everywhere: names the admin and says 2FA and password are unchanged (issue 10 item 3)", async () => {
    const mail = await renderMail("signed-out-by-admin", samples["signed-out-by-admin"]);
    expect(mail.subject).toBe("An administrator of Acme Corp signed you out of all devices");
    expect(mail.text).toContain("Olivia Owner, an administrator of Acme Corp, signed you out");
    expect(mail.text).toContain("(2 sessions)");
    expect(mail.text).toContain("your two-factor authentication and your recovery codes work as before");
    expect(mail.text).toContain("22 November 2026 at 19:42 UTC");
  });

  it("grace deadline passed: the member is told they were signed out and what comes next (issue 10 item 4)", async () => {
    const mail = await renderMail("org-two-factor", { ...samples["org-two-factor"], kind: "deadline-passed" });
    expect(mail.subject).toBe("The deadline passed: set up two-factor authentication to keep using Acme Corp");
    expect(mail.text).toContain("You have been signed out of every session");
    expect(mail.text).toContain("https://twofold.example/profile/security/two-factor/setup");
  });

  it("renders every registered template with a subject, HTML and text", async () => {
    for (const name of Object.keys(samples) as TemplateName[]) {
      const mail = await renderStoredMail(name, samples[name]);
      expect(mail.subject.length, name).toBeGreaterThan(5);
      expect(mail.html, name).toMatch(/^<!DOCTYPE html/i);
      expect(mail.text, name).toContain("Twofold never asks for your password");
    }
  });

  it("refuses unknown templates and non-object payloads", async () => {
    expect(isTemplateName("invitation")).toBe(true);
    expect(isTemplateName("toString")).toBe(false);
    await expect(renderStoredMail("no-such-template", {})).rejects.toThrow(/unknown mail template/);
    await expect(renderStoredMail("welcome", null)).rejects.toThrow(/not an object/);
  });
});
