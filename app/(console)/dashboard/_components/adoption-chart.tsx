"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

// The adoption chart (issue 15 §2) drawn with recharts. It is a picture for sighted readers: the same facts are in the
// text summary and the table beside it (HistorySection), so the drawing is hidden from assistive technology and kept
// out of the tab order (accessibilityLayer off: no focusable SVG inside an aria-hidden region).

export interface ChartPoint {
  day: string;
  share: number | null;
}

export interface ChartProps {
  points: ChartPoint[];
  projection: { day: string; share: number }[];
  markers: { day: string; label: string }[];
  deadline: string | null;
}

const BRAND = "#4f46e5";
const tick = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export function AdoptionChart({ points, projection, markers, deadline }: ChartProps) {
  // One row per day: the measured share, and from today on the projected one.
  const rows = new Map<string, { day: string; share: number | null; projected: number | null }>();
  for (const p of points) rows.set(p.day, { day: p.day, share: p.share, projected: null });
  for (const p of projection) {
    const r = rows.get(p.day);
    if (r) r.projected = p.share;
    else rows.set(p.day, { day: p.day, share: null, projected: p.share });
  }
  const data = [...rows.values()].sort((a, b) => a.day.localeCompare(b.day));
  return (
    <div aria-hidden="true" className="h-64 w-full overflow-hidden" data-testid="adoption-chart">
      <LineChart
        responsive
        accessibilityLayer={false}
        data={data}
        margin={{ top: 16, right: 16, bottom: 0, left: -16 }}
        style={{ width: "100%", height: "100%" }}
      >
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="day" tickFormatter={tick} minTickGap={24} tick={{ fontSize: 12, fill: "#475569" }} />
        <YAxis
          domain={[0, 100]}
          ticks={[0, 25, 50, 75, 100]}
          tickFormatter={(v: number) => `${v}%`}
          tick={{ fontSize: 12, fill: "#475569" }}
        />
        <Tooltip
          labelFormatter={(l) => tick(String(l))}
          formatter={(v, name) => [`${String(v)}%`, name === "projected" ? "Projected" : "With 2FA"]}
        />
        {markers.map((m) => (
          <ReferenceLine
            key={`${m.day}-${m.label}`}
            x={m.day}
            stroke="#94a3b8"
            strokeDasharray="3 3"
            label={{ value: m.label, position: "insideTopLeft", fontSize: 11, fill: "#334155" }}
          />
        ))}
        {deadline ? (
          <ReferenceLine
            x={deadline}
            stroke="#b91c1c"
            label={{ value: "Deadline", position: "insideTopRight", fontSize: 11, fill: "#b91c1c" }}
          />
        ) : null}
        <Line type="monotone" dataKey="share" stroke={BRAND} strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line
          type="monotone"
          dataKey="projected"
          stroke={BRAND}
          strokeDasharray="6 4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
