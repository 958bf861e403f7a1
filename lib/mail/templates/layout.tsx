import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { deviceName } from "../../format/user-agent";

// The one branded frame every Twofold email uses. Inline styles only (mail clients ignore stylesheets); all
// user-supplied values reach the HTML as React text children, so they are escaped.

const BRAND = "#2553e6";

const s = {
  body: {
    backgroundColor: "#f1f5f9",
    margin: 0,
    padding: "32px 12px",
    fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
    color: "#0f172a",
  },
  container: {
    maxWidth: "560px",
    margin: "0 auto",
    backgroundColor: "#ffffff",
    border: "1px solid #e2e8f0",
    borderRadius: "12px",
    overflow: "hidden",
  },
  bar: { backgroundColor: BRAND, height: "4px" },
  content: { padding: "28px 32px 8px" },
  brand: { margin: "0 0 20px", fontSize: "14px", fontWeight: 700, letterSpacing: "0.04em", color: BRAND },
  heading: { margin: "0 0 16px", fontSize: "22px", lineHeight: "30px", fontWeight: 600, color: "#0f172a" },
  text: { margin: "0 0 14px", fontSize: "15px", lineHeight: "24px", color: "#334155" },
  button: {
    backgroundColor: BRAND,
    borderRadius: "8px",
    color: "#ffffff",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
    display: "inline-block",
  },
  hr: { borderColor: "#e2e8f0", margin: "24px 0 0" },
  footer: { padding: "16px 32px 24px", fontSize: "12px", lineHeight: "18px", color: "#64748b", margin: 0 },
  detailLabel: { color: "#64748b" },
  detailRow: { margin: "0 0 6px", fontSize: "14px", lineHeight: "20px", color: "#0f172a", wordBreak: "break-word" },
  details: {
    backgroundColor: "#f8fafc",
    border: "1px solid #e2e8f0",
    borderRadius: "8px",
    padding: "12px 16px 6px",
    margin: "4px 0 16px",
  },
} satisfies Record<string, CSSProperties>;

export function EmailLayout({
  preview,
  heading,
  children,
  footer,
}: {
  preview: string;
  heading: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Section style={s.bar} />
          <Section style={s.content}>
            <Text style={s.brand} data-skip-in-text="true">
              TWOFOLD
            </Text>
            <Heading as="h1" style={s.heading}>
              {heading}
            </Heading>
            {children}
          </Section>
          <Hr style={s.hr} />
          <Text style={s.footer}>
            {footer ?? "You are receiving this email because of activity on your Twofold account."} Twofold never asks
            for your password or your codes by email.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function P({ children, htmlOnly }: { children: ReactNode; htmlOnly?: boolean }) {
  return (
    <Text style={s.text} data-skip-in-text={htmlOnly ? "true" : undefined}>
      {children}
    </Text>
  );
}

export function CallToAction({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: "8px 0 20px" }}>
      <Button href={href} style={s.button}>
        {children}
      </Button>
    </Section>
  );
}

/** A small "when / where / device" box. Rows without a value are left out. */
export function Details({ rows }: { rows: [label: string, value: string | undefined][] }) {
  const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
  if (shown.length === 0) return null;
  return (
    <Section style={s.details}>
      {shown.map(([label, value]) => (
        <Text key={label} style={s.detailRow}>
          <span style={s.detailLabel}>{label}:</span> {value}
        </Text>
      ))}
    </Section>
  );
}

/** "22 November 2026 at 19:42 UTC" — mails are read in any time zone, so UTC is named. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(d);
  return `${text} UTC`;
}

/** The "Device" row of a mail: "Chrome on macOS" (the sessions list's words), never a raw user agent; absent without
 *  one. Old queued mails carry the raw header, so it is named at render time. */
export function device(userAgent: string | undefined): string | undefined {
  return userAgent ? deviceName(userAgent) : undefined;
}
