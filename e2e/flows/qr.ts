// Reading the QR code of the 2FA setup page as a phone would: a screenshot of the code, decoded with jsQR.
import type { Page } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";

export interface ScannedKey {
  /** The otpauth:// URI the QR code carries. */
  uri: string;
  /** Its secret (base32), what an authenticator app stores. */
  secret: string;
  /** "Issuer:account" as the app would list it. */
  label: string;
  issuer: string | null;
}

/** Screenshots the QR code on the page and decodes it. Fails when there is no readable QR code. */
export async function scanQrCode(page: Page): Promise<ScannedKey> {
  const shot = PNG.sync.read(await page.getByRole("img", { name: /QR code/ }).screenshot());
  const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
  if (!decoded) throw new Error("no readable QR code in the screenshot");
  const url = new URL(decoded.data);
  if (url.protocol !== "otpauth:" || url.host !== "totp") throw new Error(`not a TOTP URI: ${decoded.data}`);
  const secret = url.searchParams.get("secret");
  if (!secret) throw new Error(`no secret in ${decoded.data}`);
  return {
    uri: decoded.data,
    secret,
    label: decodeURIComponent(url.pathname.replace(/^\//, "")),
    issuer: url.searchParams.get("issuer"),
  };
}
