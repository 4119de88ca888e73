import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAutomationFunnel } from "../api/analytics";
import { funnelSteps, percent } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;

export function AutomationChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useAutomationFunnel(filter);
  return (
    <ChartCard label="AI automation" query={query} title="AI automation funnel" empty={(d) => d.decided === 0}
      summary={(d) => `${d.decided} messages decided; ${d.auto_sent} sent automatically; ${d.send_failed} failed to reach the customer; precision of reviewed drafts ${percent(d.precision)}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={funnelSteps(d)} layout="vertical" accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis type="number" allowDecimals={false} /><YAxis type="category" dataKey="step" width={150} /><Tooltip />
            <Bar dataKey="count" name="Messages" fill={COLOURS[3]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="AI automation funnel" head={["Step", "Messages"]} rows={funnelSteps(d).map((s) => [s.step, s.count])} />} />
  );
}
