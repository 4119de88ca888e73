import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { useDealAnalytics } from "../api/analytics";
import { percent } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;
const money = (amount: string | number, currency: string) => formatMoney(String(amount), currency);

export function DealsChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useDealAnalytics(filter);
  return (
    <ChartCard label="Win rate" query={query} title="Deals won and win rate" empty={(d) => d.created + d.won + d.lost === 0}
      summary={(d) => `Win rate ${percent(d.win_rate)}: ${d.won} won, ${d.lost} lost, ${d.created} created; average cycle ${d.average_cycle_days === null ? "—" : `${Math.round(d.average_cycle_days)} days`}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={d.months} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="month" /><YAxis allowDecimals={false} width={40} />
            <Tooltip /><Bar dataKey="won" name="Deals won" fill={COLOURS[1]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="Deals won per month" head={["Month", "Won", "Value"]}
        rows={d.months.map((m) => [m.month, m.won, m.amounts.map((a) => money(a.amount, a.currency)).join(", ")])} />} />
  );
}
