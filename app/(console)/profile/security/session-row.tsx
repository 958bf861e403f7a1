"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useState, useTransition } from "react";
import { Button, LocalTime } from "@/components/ui";
import { revokeSessionAction } from "../../actions";

export function SessionRow(props: {
  sessionId: string;
  device: string;
  ip: string;
  /** Approximate place (issue 11): a country name, or "Unknown location". */
  place: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
  badge: ReactNode;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-6 py-4">
      <div className="min-w-0">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          {props.device} {props.badge}
        </p>
        <p className="text-sm text-slate-600">
          {props.place} · {props.ip} · signed in <LocalTime value={props.createdAt} /> · last seen{" "}
          <LocalTime value={props.lastSeenAt} />
        </p>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      {props.current ? null : (
        <Button
          variant="secondary"
          size="sm"
          disabled={pending}
          aria-label={`Sign out session: ${props.device} (${props.ip})`}
          onClick={() =>
            start(async () => {
              const r = await revokeSessionAction({ sessionId: props.sessionId });
              if (!r.ok) setError(r.error);
              else router.refresh();
            })
          }
        >
          {pending ? "Signing out…" : "Sign out"}
        </Button>
      )}
    </li>
  );
}
