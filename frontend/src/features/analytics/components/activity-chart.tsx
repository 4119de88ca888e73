import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useRepActivity } from "../api/analytics";
import { activityRows } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;
const label = (type: string) => type.replace(/_/g, " ");

/** Activities per rep by type (calls, meetings, tasks...), busiest first. */
export function ActivityChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useRepActivity(filter);
  return (
    <ChartCard label="Rep activity" query={query} title="Rep activity" empty={(d) => d.reps.length === 0}
      summary={(d) => {
        const { rows } = activityRows(d);
        const total = d.reps.reduce((n, r) => n + r.total, 0);
        return `${total} activities logged, ${d.reps.reduce((n, r) => n + r.done, 0)} done; busiest: ${rows[0].rep} (${rows[0].total}).`;
      }}
      chart={(d) => {
        const { rows, types } = activityRows(d);
        return (
          <ResponsiveContainer width="100%" height={Math.max(HEIGHT, rows.length * 36)}>
            <BarChart data={rows} layout="vertical" accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" /><XAxis type="number" allowDecimals={false} /><YAxis type="category" dataKey="rep" width={120} />
              <Tooltip /><Legend />
              {types.map((t, i) => <Bar key={t} dataKey={t} name={label(t)} stackId="type" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />)}
            </BarChart>
          </ResponsiveContainer>
        );
      }}
      table={(d) => {
        const { rows, types } = activityRows(d);
        return <Table caption="Activities per rep" head={["Rep", "Total", "Done", ...types.map(label)]}
          rows={rows.map((r) => [r.rep, r.total, r.done, ...types.map((t) => r[t])])} />;
      }} />
  );
}
