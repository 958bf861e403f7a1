// A real OpenID Provider for the end-to-end suite: `oidc-provider` (a certified OP implementation) on loopback, with
// one confidential client (Twofold's next-auth "oidc" provider), a few accounts and a minimal login form. The app
// talks to it exactly as to a company's IdP: discovery, authorization code + PKCE + state, token endpoint with client
// secret, RS256-signed ID token. Started by e2e/web-server.ts before the server under test; its accounts are used by sso.spec.ts.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";

export interface IdpAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

/** Every account's password at this test IdP. */
export const IDP_PASSWORD = "idp-password-2026";

export const IDP_CLIENT = { id: "twofold-e2e", secret: "twofold-e2e-client-secret-not-for-production" };

/** The organization the IdP belongs to (OIDC_ORGANIZATION_SLUG); sso.spec.ts creates it. */
export const SSO_ORG = { name: "Ssotest Corp", slug: "ssotest-corp" };

export const IDP_ACCOUNTS = {
  /** New to Twofold: provisioned on first SSO sign-in. */
  newcomer: { sub: "idp-0001", email: "sam.single@ssotest.example", emailVerified: true, name: "Sam Single" },
  /** Signs in while the organization requires 2FA. */
  exempt: { sub: "idp-0002", email: "erin.exempt@ssotest.example", emailVerified: true, name: "Erin Exempt" },
  /** Has personal 2FA: SSO still asks for the code (S17). */
  withTotp: { sub: "idp-0003", email: "otto.totp@ssotest.example", emailVerified: true, name: "Otto Totp" },
  /** The same address as a seeded PASSWORD account (Tom Li of the demo organization). */
  passwordTwin: { sub: "idp-0004", email: "tom@acme.test", emailVerified: true, name: "Tom Li" },
  /** The IdP does not vouch for this address. */
  unverified: {
    sub: "idp-0005",
    email: "una.unverified@ssotest.example",
    emailVerified: false,
    name: "Una Unverified",
  },
} satisfies Record<string, IdpAccount>;

const accounts: IdpAccount[] = Object.values(IDP_ACCOUNTS);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function loginPage(uid: string, error: string | null, email = "") {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ssotest Identity</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto">
  <h1>Ssotest Identity</h1>
  <p>Sign in to continue to Twofold.</p>
  ${error ? `<p role="alert" style="color: #b91c1c">${escapeHtml(error)}</p>` : ""}
  <form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
    <p><label for="email">Work email</label><br><input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" autofocus required></p>
    <p><label for="password">IdP password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
    <p><button type="submit">Continue</button></p>
  </form>
</body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function send(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

export interface RunningIdp {
  issuer: string;
  /** OIDC_* for the app under test. */
  appEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the IdP on 127.0.0.1 (an ephemeral port unless given). `redirectUri` is the app's next-auth callback. */
export async function startOidcIdp(opts: { redirectUri: string; port?: number }): Promise<RunningIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const configuration: Configuration = {
    clients: [
      {
        client_id: IDP_CLIENT.id,
        client_secret: IDP_CLIENT.secret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "e2e-signing-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The app reads the person from the ID token (next-auth `idToken: true`), as from most company IdPs.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    async findAccount(_ctx, sub) {
      const account = accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        async claims() {
          return {
            sub: account.sub,
            email: account.email,
            email_verified: account.emailVerified,
            name: account.name,
          };
        },
      };
    },
    // A first-party client of the company IdP: no consent screen (the grant covers what Twofold asks for).
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
  // Loaded here, not at the top: sso.spec.ts imports the accounts above without starting (or loading) a provider.
  const { default: Provider } = await import("oidc-provider");
  const provider = new Provider(issuer, configuration);
  const oidcHandler = provider.callback();

  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      oidcHandler(req, res);
      return;
    }
    const uid = decodeURIComponent(match[1] ?? "");
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== uid || details.prompt.name !== "login") {
          send(res, 400, "<p>Unexpected interaction.</p>");
          return;
        }
        if (req.method === "GET" && !match[2]) {
          send(res, 200, loginPage(uid, null));
          return;
        }
        if (req.method === "POST" && match[2]) {
          const form = await readForm(req);
          const email = (form.get("email") ?? "").trim().toLowerCase();
          const account = accounts.find((a) => a.email === email);
          if (!account || form.get("password") !== IDP_PASSWORD) {
            send(res, 200, loginPage(uid, "Unknown email or wrong password.", email));
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: account.sub } },
            {
              mergeWithLastSubmission: false,
            },
          );
          return;
        }
        send(res, 405, "<p>Method not allowed.</p>");
      } catch (e) {
        send(res, 400, `<p>${escapeHtml(e instanceof Error ? e.message : "Interaction failed")}</p>`);
      }
    })();
  });

  return {
    issuer,
    appEnv: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: IDP_CLIENT.id,
      OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
      OIDC_ORGANIZATION_SLUG: SSO_ORG.slug,
      OIDC_DISPLAY_NAME: "Ssotest SSO",
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
