import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { usePipelineAnalytics } from "../api/analytics";
import { pipelineBars } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;
const money = (amount: string | number, currency: string) => formatMoney(String(amount), currency);

export function PipelineChart({ filter }: { filter: AnalyticsFilter }) {
  const query = usePipelineAnalytics(filter);
  return (
    <ChartCard label="Pipeline" query={query} title="Pipeline by stage" empty={(d) => d.stages.length === 0}
      summary={(d) => `${d.stages.reduce((n, s) => n + s.deal_count, 0)} open deals on ${d.to_day}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={pipelineBars(d)} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="stage" /><YAxis width={64} />
            <Tooltip /><Legend />
            <Bar dataKey="amount" name="Open value" fill={COLOURS[0]} isAnimationActive={false} />
            <Bar dataKey="change" name="Change in range" fill={COLOURS[2]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="Pipeline by stage" head={["Stage", "Open deals", "Value", "Change in range"]}
        rows={pipelineBars(d).map((s) => [s.stage, s.deals, money(s.amount, s.currency), money(s.change, s.currency)])} />} />
  );
}
