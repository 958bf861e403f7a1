"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, ConfirmDialog, LocalTime } from "@/components/ui";
import { forgetAllDevicesAction, forgetDeviceAction } from "./device-actions";

export interface RememberedDeviceItem {
  id: string;
  name: string;
  place: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

/** Profile > Security: the browsers that skip the second step (issue 11 item 2), each with "Forget". */
export function RememberedDevicesList({ devices }: { devices: RememberedDeviceItem[] }) {
  if (devices.length === 0)
    return (
      <p className="px-6 py-4 text-sm text-slate-600" data-testid="no-remembered-devices">
        No remembered devices. Where your organization allows it, tick “Remember this device” when you enter a code, and
        that browser will not ask for one for a while.
      </p>
    );
  return (
    <ul className="divide-y divide-slate-200" aria-label="Remembered devices">
      {devices.map((d) => (
        <DeviceRow key={d.id} device={d} />
      ))}
    </ul>
  );
}

function DeviceRow({ device }: { device: RememberedDeviceItem }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-6 py-4" data-testid="remembered-device">
      <div className="min-w-0">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          {device.name} {device.current ? <Badge variant="success">This browser</Badge> : null}
        </p>
        <p className="text-sm text-slate-600">
          {device.place} · first used <LocalTime value={device.createdAt} /> · last used{" "}
          <LocalTime value={device.lastUsedAt} /> · until <LocalTime value={device.expiresAt} format="day" />
        </p>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        triggerLabel="Forget"
        title={`Forget ${device.name}?`}
        body={`The next sign-in on ${device.current ? "this browser" : "that browser"} will ask for a code again. Sessions already signed in stay signed in.`}
        confirmLabel="Forget device"
        variant="danger"
        onConfirm={async () => {
          const r = await forgetDeviceAction({ deviceId: device.id });
          if (!r.ok) setError(r.error);
          else router.refresh();
        }}
      />
    </li>
  );
}

export function ForgetAllDevicesButton({ count }: { count: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="text-right">
      <ConfirmDialog
        triggerLabel="Forget all"
        title="Forget all remembered devices?"
        body={`${count === 1 ? "1 device" : `${count} devices`} will ask for a code at the next sign-in. Sessions already signed in stay signed in.`}
        confirmLabel="Forget all devices"
        variant="danger"
        onConfirm={async () => {
          const r = await forgetAllDevicesAction({});
          if (!r.ok) setError(r.error);
          else router.refresh();
        }}
      />
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
