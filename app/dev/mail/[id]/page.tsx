import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { env } from "@/lib/env";
import { getMailboxMessage } from "@/lib/services/outbox/dev-mailbox";

export const metadata: Metadata = { title: "Mail · Development mailbox" };

// Links in the mail open in a new tab: the frame itself may not navigate (and the app refuses to be framed).
function frameDocument(html: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => `${m}${base}`) : `${base}${html}`;
}

export default async function DevMailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  if (!env.devMailbox) notFound();
  const { id } = await params;
  const message = await getMailboxMessage({ input: { id } });
  if (!message) notFound();
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-5xl space-y-6 px-4 py-10 focus:outline-hidden sm:px-6">
      <Link href="/dev/mail" className="text-sm font-medium text-brand-700 hover:underline">
        ← All mail
      </Link>
      <PageHeader
        title={message.subject}
        description={
          <>
            To <span className="font-medium text-slate-900">{message.to}</span> ·{" "}
            <time dateTime={message.createdAt.toISOString()}>
              {message.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
            </time>
          </>
        }
      />
      <Card>
        <CardHeader title="HTML" description="Rendered in a sandboxed frame: no scripts, no access to this page." />
        <CardBody className="bg-slate-100 p-0">
          <iframe
            title={`HTML version of “${message.subject}”`}
            srcDoc={frameDocument(message.html)}
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            referrerPolicy="no-referrer"
            className="block h-[680px] w-full border-0 bg-white"
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Plain text" />
        <CardBody>
          <pre className="overflow-x-auto text-sm leading-6 whitespace-pre-wrap break-words text-slate-800">
            {message.text}
          </pre>
        </CardBody>
      </Card>
    </main>
  );
}
