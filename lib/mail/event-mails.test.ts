// The mails of issue 10, item 8, rendered: each has its own subject and a text part that says what happened, when,
// on which device (named as a person would), what to do, and what to do if it was not you.
import { describe, expect, it } from "vitest";
import { renderMail } from "./render";

const at = "2026-11-22T19:42:00.000Z";
const chromeMac =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const org = { organizationName: "Acme Corp", adminName: "Olivia Owner" };

describe("issue 10 mails", () => {
  it("move to a new phone: its own subject, says the recovery codes were replaced, names the device", async () => {
    const mail = await renderMail("two-factor-replaced", { name: "Ann", ip: "203.0.113.9", userAgent: chromeMac, at });
    expect(mail.subject).toBe("You moved two-factor authentication to a new phone");
    expect(mail.text).toContain("Hello Ann,");
    expect(mail.text).toContain("Your recovery codes were replaced too");
    expect(mail.text).toContain("old app's codes no longer work");
    expect(mail.text).toContain("When: 22 November 2026 at 19:42 UTC");
    expect(mail.text).toContain("Device: Chrome on macOS");
    expect(mail.text).not.toContain("Mozilla");
    expect(mail.text).toContain("If you did not do this, change your password");
  });

  it("every security notice names the device, never the raw user agent", async () => {
    const mail = await renderMail("totp-replay", { name: "Ann", ip: "198.51.100.7", userAgent: chromeMac, at });
    expect(mail.text).toContain("Device: Chrome on macOS");
    expect(mail.html).not.toContain("AppleWebKit");
  });

  it("exemption granted: until when, by whom, why, and what happens when it ends", async () => {
    const mail = await renderMail("exemption-granted", {
      name: "Ann",
      ...org,
      until: "2026-11-29T19:42:00.000Z",
      reason: "new phone next week",
      setupUrl: "https://twofold.example/profile/security/two-factor/setup",
      at,
    });
    expect(mail.subject).toBe("You are exempt from two-factor authentication in Acme Corp until 29 November 2026");
    expect(mail.text).toContain("Hello Ann,");
    expect(mail.text).toContain("Olivia Owner, an administrator of Acme Corp, exempted you");
    expect(mail.text).toContain("Exempt until: 29 November 2026 at 19:42 UTC");
    expect(mail.text).toContain("Reason: new phone next week");
    expect(mail.text).toContain("When the exemption ends, Acme Corp will ask you to set up");
    expect(mail.text).toContain("https://twofold.example/profile/security/two-factor/setup");
    expect(mail.text).toContain("If you did not ask for this");
  });

  it("exemption changed: the new end and the old one", async () => {
    const mail = await renderMail("exemption-changed", {
      name: "Ann",
      ...org,
      until: "2026-12-22T19:42:00.000Z",
      previousUntil: "2026-11-29T19:42:00.000Z",
      at,
    });
    expect(mail.subject).toBe("Your two-factor exemption in Acme Corp now ends on 22 December 2026");
    expect(mail.text).toContain("now ends 22 December 2026 at 19:42 UTC instead of 29 November 2026 at 19:42 UTC");
  });

  it("exemption ended: set it up now (or nothing to do with 2FA already on)", async () => {
    const mail = await renderMail("exemption-ended", { name: "Ann", ...org, mustSetUp: true, at });
    expect(mail.subject).toBe("Your two-factor exemption in Acme Corp has ended");
    expect(mail.text).toContain("ended your exemption");
    expect(mail.text).toContain("your account does not use it yet: set it up now");
    const withApp = await renderMail("exemption-ended", { name: "Ann", ...org, hasTwoFactor: true, at });
    expect(withApp.text).toContain("nothing changes for you");
    expect(withApp.text).not.toContain("set it up now");
  });

  it("SSO exemption removed: SSO members must now set up 2FA", async () => {
    const mail = await renderMail("org-two-factor", {
      kind: "sso-exemption-removed",
      name: "Sam",
      ...org,
      mode: "NEXT_SIGN_IN",
      setupUrl: "https://twofold.example/profile/security/two-factor/setup",
    });
    expect(mail.subject).toBe(
      "Action needed: single sign-on no longer exempts you from two-factor authentication in Acme Corp",
    );
    expect(mail.text).toContain("Hello Sam,");
    expect(mail.text).toContain("you must now set up two-factor authentication");
    expect(mail.text).toContain("The next time you sign in, you will set it up before anything else.");
    expect(mail.text).toContain("https://twofold.example/profile/security/two-factor/setup");
  });

  it("recovery code admin alert: who, when, where, what to do", async () => {
    const mail = await renderMail("recovery-code-admin-alert", {
      name: "Olivia",
      memberName: "Ann Member",
      memberEmail: "ann@acme.test",
      organizationName: "Acme Corp",
      remaining: 1,
      ip: "203.0.113.9",
      userAgent: chromeMac,
      at,
      usersUrl: "https://twofold.example/settings/users",
      settingsUrl: "https://twofold.example/settings/security",
    });
    expect(mail.subject).toBe("Ann Member signed in to Acme Corp with a recovery code");
    expect(mail.text).toContain("Hello Olivia,");
    expect(mail.text).toContain("1 recovery code remains");
    expect(mail.text).toContain("Member: Ann Member (ann@acme.test)");
    expect(mail.text).toContain("Device: Chrome on macOS");
    expect(mail.text).toContain("If they did not sign in, reset their two-factor authentication");
    expect(mail.text).toContain("turn these alerts off in Settings › Organization security");
  });
});
