import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Badge, Card, EmptyState, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { env } from "@/lib/env";
import { listMailboxMessages } from "@/lib/services/outbox/dev-mailbox";

export const metadata: Metadata = { title: "Development mailbox" };

const when = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 19)} UTC`;

const KINDS = { all: "All", mail: "Mail", texts: "Texts" } as const;

export default async function DevMailboxPage({
  searchParams,
}: {
  searchParams: Promise<{ to?: string | string[]; kind?: string | string[] }>;
}) {
  await connection(); // always read the mailbox at request time
  if (!env.devMailbox) notFound();
  const { to, kind: kindParam } = await searchParams;
  const recipient = typeof to === "string" && to.trim() ? to.trim() : undefined;
  const kind = kindParam === "mail" || kindParam === "texts" ? kindParam : "all";
  const messages = await listMailboxMessages({
    input: { to: recipient, limit: 200, ...(kind === "all" ? {} : { kind: kind === "mail" ? "EMAIL" : "SMS" }) },
  });
  const hrefFor = (k: keyof typeof KINDS) => {
    const q = new URLSearchParams({ ...(recipient ? { to: recipient } : {}), ...(k === "all" ? {} : { kind: k }) });
    return `/dev/mail${q.size ? `?${q}` : ""}`;
  };
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-5xl space-y-6 px-4 py-10 focus:outline-hidden sm:px-6">
      <PageHeader
        title="Development mailbox"
        description={
          <>
            Mail and text messages the local transports delivered (no RESEND_API_KEY or Twilio configured), newest
            first. <Badge variant="warning">Development only</Badge>
          </>
        }
      />
      <form className="flex flex-wrap items-end gap-2" action="/dev/mail">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Recipient
          <input
            name="to"
            type="text"
            defaultValue={recipient}
            placeholder="name@example.com or +447700900123"
            className="w-72 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-hidden"
          />
        </label>
        {kind !== "all" ? <input type="hidden" name="kind" value={kind} /> : null}
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
        >
          Filter
        </button>
        {recipient ? (
          <Link href="/dev/mail" className="px-2 py-2 text-sm font-medium text-brand-700 hover:underline">
            Show all
          </Link>
        ) : null}
      </form>
      <nav aria-label="Kind of message" className="flex gap-1 text-sm">
        {(Object.keys(KINDS) as (keyof typeof KINDS)[]).map((k) => (
          <Link
            key={k}
            href={hrefFor(k)}
            aria-current={k === kind ? "page" : undefined}
            className={
              k === kind
                ? "rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white"
                : "rounded-md px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100"
            }
          >
            {KINDS[k]}
          </Link>
        ))}
      </nav>
      <Card>
        {messages.length === 0 ? (
          <EmptyState
            title={kind === "texts" ? "No text messages yet" : "No mail yet"}
            description={
              kind === "texts"
                ? "Add a phone in Profile › Security or sign in with a text message: the text appears here within seconds."
                : "Sign up, invite a teammate or change a security setting: the mail appears here within seconds."
            }
          />
        ) : (
          <Table label="Delivered mail and texts">
            <THead>
              <Tr>
                <Th>Kind</Th>
                <Th>To</Th>
                <Th>Subject or text</Th>
                <Th>Received</Th>
              </Tr>
            </THead>
            <TBody>
              {messages.map((m) => (
                <Tr key={m.id}>
                  <Td>
                    <Badge variant={m.kind === "SMS" ? "info" : "neutral"}>{m.kind === "SMS" ? "Text" : "Mail"}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap">{m.to}</Td>
                  <Td>
                    {m.body !== null ? (
                      <p data-testid="text-message" className="max-w-xl text-sm whitespace-pre-line text-slate-800">
                        {m.body}
                      </p>
                    ) : (
                      <Link href={`/dev/mail/${m.id}`} className="font-medium text-brand-700 hover:underline">
                        {m.subject}
                      </Link>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    <time dateTime={m.createdAt.toISOString()}>{when(m.createdAt)}</time>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </main>
  );
}
