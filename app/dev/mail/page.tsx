import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Badge, Card, EmptyState, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { env } from "@/lib/env";
import { listMailboxMessages } from "@/lib/services/outbox/dev-mailbox";

export const metadata: Metadata = { title: "Development mailbox" };

const when = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string | string[] }> }) {
  await connection(); // always read the mailbox at request time
  if (!env.devMailbox) notFound();
  const { to } = await searchParams;
  const recipient = typeof to === "string" && to.trim() ? to.trim() : undefined;
  const messages = await listMailboxMessages({ input: { to: recipient, limit: 200 } });
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-5xl space-y-6 px-4 py-10 focus:outline-hidden sm:px-6">
      <PageHeader
        title="Development mailbox"
        description={
          <>
            Mail the local transport delivered (no RESEND_API_KEY configured), newest first.{" "}
            <Badge variant="warning">Development only</Badge>
          </>
        }
      />
      <form className="flex flex-wrap items-end gap-2" action="/dev/mail">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Recipient
          <input
            name="to"
            type="email"
            defaultValue={recipient}
            placeholder="name@example.com"
            className="w-72 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-hidden"
          />
        </label>
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
      <Card>
        {messages.length === 0 ? (
          <EmptyState
            title="No mail yet"
            description="Sign up, invite a teammate or change a security setting: the mail appears here within seconds."
          />
        ) : (
          <Table label="Delivered mail">
            <THead>
              <Tr>
                <Th>To</Th>
                <Th>Subject</Th>
                <Th>Received</Th>
              </Tr>
            </THead>
            <TBody>
              {messages.map((m) => (
                <Tr key={m.id}>
                  <Td className="whitespace-nowrap">{m.to}</Td>
                  <Td>
                    <Link href={`/dev/mail/${m.id}`} className="font-medium text-brand-700 hover:underline">
                      {m.subject}
                    </Link>
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
