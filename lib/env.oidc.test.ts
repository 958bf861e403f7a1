import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const complete = {
  OIDC_ISSUER: "https://idp.example.test/",
  OIDC_CLIENT_ID: "twofold",
  OIDC_CLIENT_SECRET: "s3cret",
  OIDC_ORGANIZATION_SLUG: "acme-inc",
};

describe("SSO configuration (OIDC_*)", () => {
  it("is off when none is set", () => {
    expect(parseEnv({}).oidc).toBeNull();
    expect(parseEnv({ OIDC_DISPLAY_NAME: "Okta" }).oidc).toBeNull();
  });

  it("is on with all four, with a default display name and the issuer without a trailing slash", () => {
    expect(parseEnv(complete).oidc).toEqual({
      issuer: "https://idp.example.test",
      clientId: "twofold",
      clientSecret: "s3cret",
      organizationSlug: "acme-inc",
      displayName: "SSO",
    });
    expect(parseEnv({ ...complete, OIDC_DISPLAY_NAME: "Acme Okta" }).oidc?.displayName).toBe("Acme Okta");
  });

  it("is all-or-nothing: a partial configuration fails naming each missing variable", () => {
    expect(() => parseEnv({ OIDC_ISSUER: complete.OIDC_ISSUER })).toThrow(
      /OIDC_CLIENT_ID: is required when OIDC_ISSUER is set/,
    );
    const { OIDC_CLIENT_SECRET: _omitted, ...noSecret } = complete;
    let message = "";
    try {
      parseEnv(noSecret);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/OIDC_CLIENT_SECRET: is required when OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_ORGANIZATION_SLUG/);
    expect(message).not.toMatch(/OIDC_ISSUER:/);
  });

  it("names the variable when a value is malformed", () => {
    expect(() => parseEnv({ ...complete, OIDC_ISSUER: "not a url" })).toThrow(/OIDC_ISSUER/);
    expect(() => parseEnv({ ...complete, OIDC_ORGANIZATION_SLUG: "Acme Inc" })).toThrow(/OIDC_ORGANIZATION_SLUG/);
  });

  it("wants https in production, except for a provider on this machine", () => {
    const prod = {
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "x".repeat(32),
      TWOFACTOR_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}`,
      TWOFACTOR_KEY_VERSION: "1",
      NEXTAUTH_URL: "https://twofold.example.com",
      MAIL_FROM: "Twofold <security@example.com>",
      MAIL_TRANSPORT: "local",
      SMS_TRANSPORT: "local",
    };
    expect(() => parseEnv({ ...prod, ...complete, OIDC_ISSUER: "http://idp.example.test" })).toThrow(
      /OIDC_ISSUER: must be an https:\/\/ URL in production/,
    );
    expect(parseEnv({ ...prod, ...complete, OIDC_ISSUER: "http://localhost:3190" }).oidc?.issuer).toBe(
      "http://localhost:3190",
    );
  });
});
