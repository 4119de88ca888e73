import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useResponseTimes } from "../api/analytics";
import { plural } from "@/lib/format";
import { formatDuration } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;

export function ResponseTimesChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useResponseTimes(filter);
  const rows = (d: NonNullable<typeof query.data>) => [
    { name: "First response", median: (d.first_response.median_seconds ?? 0) / 60, p90: (d.first_response.p90_seconds ?? 0) / 60, ...d.first_response },
    { name: "Resolution", median: (d.resolution.median_seconds ?? 0) / 60, p90: (d.resolution.p90_seconds ?? 0) / 60, ...d.resolution },
  ];
  return (
    <ChartCard label="Response times" query={query} title="Response times (minutes)" empty={(d) => d.first_response.count + d.resolution.count === 0}
      summary={(d) => `Median first response ${formatDuration(d.first_response.median_seconds)} over ${plural(d.first_response.count, "conversation")}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={rows(d)} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="name" /><YAxis width={48} /><Tooltip /><Legend />
            <Bar dataKey="median" name="Median" fill={COLOURS[0]} isAnimationActive={false} />
            <Bar dataKey="p90" name="90th percentile" fill={COLOURS[3]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="Response times" head={["Measure", "Count", "Median", "90th percentile", "Mean"]}
        rows={rows(d).map((r) => [r.name, r.count, formatDuration(r.median_seconds), formatDuration(r.p90_seconds), formatDuration(r.mean_seconds)])} />} />
  );
}
