import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMessageAnalytics } from "../api/analytics";
import { countsDesc, messagesByDay, PERIOD_HEADS } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;

export function MessagesChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useMessageAnalytics(filter);
  return (
    <ChartCard label="Messages" query={query} title="Customer messages by channel and intent" empty={(d) => d.total === 0}
      summary={(d) => `${d.total} messages; by intent: ${countsDesc(d.by_intent).slice(0, 3).map((i) => `${i.name} ${i.count}`).join(", ")}.`}
      chart={(d) => {
        const { rows, channels } = messagesByDay(d);
        return (
          <div className="chart-pair">
            <ResponsiveContainer width="100%" height={HEIGHT}>
              <BarChart data={rows} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="day" /><YAxis allowDecimals={false} width={40} /><Tooltip /><Legend />
                {channels.map((c, i) => <Bar key={c} dataKey={c} stackId="channel" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />)}
              </BarChart>
            </ResponsiveContainer>
            <ResponsiveContainer width="100%" height={HEIGHT}>
              <BarChart data={countsDesc(d.by_intent)} layout="vertical" accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" /><XAxis type="number" allowDecimals={false} /><YAxis type="category" dataKey="name" width={120} /><Tooltip />
                <Bar dataKey="count" name="Messages" fill={COLOURS[5]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        );
      }}
      table={(d) => {
        const { rows, channels } = messagesByDay(d);
        return (
        <>
          {/* Quiet periods are left out: a month of zero rows is noise to a screen reader user. */}
          <Table caption={`Messages per ${d.interval} and channel (quiet ${d.interval}s left out)`} head={[PERIOD_HEADS[d.interval], ...channels]}
            rows={rows.filter((r) => channels.some((c) => Number(r[c]) > 0)).map((r) => [String(r.day), ...channels.map((c) => r[c])])} />
          <Table caption="Messages by channel" head={["Channel", "Messages"]} rows={countsDesc(d.by_channel).map((c) => [c.name, c.count])} />
          <Table caption="Messages by intent" head={["Intent", "Messages"]} rows={countsDesc(d.by_intent).map((c) => [c.name, c.count])} />
        </>
        );
      }} />
  );
}
