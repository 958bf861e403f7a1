// A local stand-in for Twilio's Programmable Messaging API (the Messages resource of API version 2010-04-01), so the
// real `twilio` SDK can be tested offline: point it here with TWILIO_BASE_URL (lib/sms/sender.ts). It answers as
// Twilio documents (twilio/twilio-oai, twilio_api_v2010.json; https://www.twilio.com/docs/errors):
//  - POST /2010-04-01/Accounts/{AccountSid}/Messages.json (form-encoded To, Body, From or MessagingServiceSid) with
//    HTTP basic auth (AccountSid:AuthToken) → 201 and the message resource (sid "SM" + 32 hex digits, status
//    "queued", RFC 2822 dates, snake_case fields);
//  - GET the same path (?To=…&PageSize=…) → a page `{ messages: [...], page, page_size, next_page_uri, … }`, newest
//    first;
//  - errors as `{ code, message, more_info, status }`: 401 code 20003 (authenticate), 404 code 20404 (another
//    account), 400 code 21211 (invalid 'To'), 21602 (body required), 21603 ('From' required), 21614 ('To' is not a
//    mobile number), 21408 (permission to send to this region not enabled), 429 code 20429 (too many requests).
// Fault modes (the next N POSTs): answer 500/503/429 without creating anything; create the message and then answer
// 500 (the answer is lost to the client as far as it knows); create it and destroy the socket (no answer at all).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StandinMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: "queued" | "accepted";
  direction: "outbound-api";
  date_created: string;
  date_updated: string;
  date_sent: null;
  api_version: "2010-04-01";
  num_segments: string;
  num_media: "0";
  price: null;
  price_unit: "USD";
  error_code: null;
  error_message: null;
  uri: string;
  subresource_uris: { media: string };
}

export type Fault =
  | { kind: "status"; status: 429 | 500 | 502 | 503 }
  /** the message is created, then the answer is a 500 */
  | { kind: "created-then-500" }
  /** the message is created, then the socket is destroyed */
  | { kind: "created-then-drop" };

export interface TwilioStandin {
  url: string;
  accountSid: string;
  authToken: string;
  /** messages created, oldest first */
  messages: StandinMessage[];
  /** every POST to Messages.json, with the status answered (0: no answer) */
  posts: { to: string; status: number }[];
  /** the next POSTs fail like this, one fault each, in order */
  faults: Fault[];
  /** numbers Twilio refuses, with the error code: 21211, 21614, 21408 */
  refuse: Map<string, 21211 | 21614 | 21408>;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");

const ERRORS = {
  20003: (_: string) => "Authenticate",
  20404: (_: string) => "The requested resource was not found",
  20429: (_: string) => "Too Many Requests",
  21211: (to: string) => `Invalid 'To' Phone Number: ${to.slice(0, 4)}XXXXXXXX`,
  21602: (_: string) => "Message body is required.",
  21603: (_: string) => "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
  21614: (to: string) => `'To' number ${to} is not a valid mobile number`,
  21408: (to: string) =>
    `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
} as const;

export async function startTwilioStandin(
  opts: { accountSid?: string; authToken?: string } = {},
): Promise<TwilioStandin> {
  const accountSid = opts.accountSid ?? `AC${randomBytes(16).toString("hex")}`;
  const authToken = opts.authToken ?? randomBytes(16).toString("hex");
  const state = {
    messages: [] as StandinMessage[],
    posts: [] as { to: string; status: number }[],
    faults: [] as Fault[],
    refuse: new Map<string, 21211 | 21614 | 21408>(),
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: keyof typeof ERRORS, to = "") =>
        send(status, {
          code,
          message: ERRORS[code](to),
          more_info: `https://www.twilio.com/docs/errors/${code}`,
          status,
        });

      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const [user, pass] = auth ? Buffer.from(auth, "base64").toString("utf8").split(":") : [];
      if (user !== accountSid || pass !== authToken) return error(401, 20003);
      if (!match || match[1] !== accountSid) return error(404, 20404);

      if (req.method === "GET") {
        const to = url.searchParams.get("To");
        const pageSize = Number(url.searchParams.get("PageSize") ?? 50);
        const list = state.messages
          .filter((m) => !to || m.to === to)
          .reverse()
          .slice(0, pageSize);
        return send(200, {
          messages: list,
          page: 0,
          page_size: pageSize,
          start: 0,
          end: Math.max(0, list.length - 1),
          uri: url.pathname + url.search,
          first_page_uri: url.pathname + url.search,
          next_page_uri: null,
          previous_page_uri: null,
        });
      }
      if (req.method !== "POST") return error(404, 20404);

      const form = new URLSearchParams(raw);
      const to = form.get("To") ?? "";
      const record = (status: number) => state.posts.push({ to, status });
      const fault = state.faults.shift();
      if (fault?.kind === "status") {
        record(fault.status);
        return fault.status === 429
          ? error(429, 20429)
          : send(fault.status, {
              code: 20500,
              message: "Internal Server Error",
              more_info: "https://www.twilio.com/docs/errors/20500",
              status: fault.status,
            });
      }
      if (!E164.test(to)) {
        record(400);
        return error(400, 21211, to);
      }
      const refused = state.refuse.get(to);
      if (refused) {
        record(400);
        return error(400, refused, to);
      }
      const body = form.get("Body") ?? "";
      if (!body) {
        record(400);
        return error(400, 21602);
      }
      const from = form.get("From");
      const service = form.get("MessagingServiceSid");
      if (!from && !service) {
        record(400);
        return error(400, 21603);
      }
      const sid = `SM${randomBytes(16).toString("hex")}`;
      const now = rfc2822(new Date());
      const message: StandinMessage = {
        sid,
        account_sid: accountSid,
        to,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        body,
        status: service ? "accepted" : "queued",
        direction: "outbound-api",
        date_created: now,
        date_updated: now,
        date_sent: null,
        api_version: "2010-04-01",
        num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
        num_media: "0",
        price: null,
        price_unit: "USD",
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      };
      state.messages.push(message);
      if (fault?.kind === "created-then-drop") {
        record(0);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === "created-then-500") {
        record(500);
        return send(500, {
          code: 20500,
          message: "Internal Server Error",
          more_info: "https://www.twilio.com/docs/errors/20500",
          status: 500,
        });
      }
      record(201);
      return send(201, message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
