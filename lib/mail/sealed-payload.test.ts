import { describe, expect, it } from "vitest";
import { SecretDecryptionError } from "../crypto/encryption";
import { openPayload, SECRET_FIELDS, sealPayload } from "./sealed-payload";

const row = { id: "ob123", template: "invitation", to: "ann@example.test" };
const data = {
  organizationName: "Acme",
  inviterName: "Olivia",
  role: "ADMIN",
  acceptUrl: "https://twofold.example/invite/tok_SECRET_abcdef",
  expiresAt: "2001-01-08T00:00:00.000Z",
};

describe("sealed mail payloads (S41)", () => {
  it("seals exactly the secret fields and opens them back for the same row", () => {
    const sealed = sealPayload(row, data);
    expect(JSON.stringify(sealed)).not.toContain("tok_SECRET_abcdef");
    expect(sealed).toMatchObject({ organizationName: "Acme", inviterName: "Olivia", role: "ADMIN" });
    expect(sealed).not.toHaveProperty("acceptUrl");
    expect(sealed.$sealed).toMatchObject({ fields: ["acceptUrl"] });
    expect(openPayload(row, sealed)).toEqual(data);
  });

  it("does not open for another row id, recipient or template, nor when altered", () => {
    const sealed = sealPayload(row, data);
    for (const other of [
      { ...row, id: "ob124" },
      { ...row, to: "mallory@example.test" },
      { ...row, template: "two-factor-reset" },
    ]) {
      expect(() => openPayload(other, sealed)).toThrow(SecretDecryptionError);
    }
    const box = (sealed.$sealed as { box: string }).box;
    const altered = { ...sealed, $sealed: { fields: ["acceptUrl"], box: `${box.slice(0, -2)}AA` } };
    expect(() => openPayload(row, altered)).toThrow(SecretDecryptionError);
  });

  it("leaves mail without secrets as it is, and every secret-bearing template is listed", () => {
    const notice = { name: "Ann", at: "2001-01-01T00:00:00.000Z" };
    expect(sealPayload({ ...row, template: "two-factor-enabled" }, notice)).toEqual(notice);
    expect(openPayload(row, notice)).toEqual(notice);
    expect(SECRET_FIELDS).toEqual({
      invitation: ["acceptUrl"],
      "two-factor-reset": ["reEnrollUrl"],
      "recovery-codes-issued": ["codes"],
      "email-code": ["code"],
      "password-reset": ["resetUrl"],
    });
  });
});
