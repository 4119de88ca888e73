import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { useRevenueByProduct } from "../api/analytics";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";
import { Table } from "./figure-table";

const HEIGHT = 260;
const money = (amount: string | number, currency: string) => formatMoney(String(amount), currency);

export function RevenueChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useRevenueByProduct(filter);
  return (
    <ChartCard label="Revenue by product" query={query} title="Revenue by product" empty={(d) => d.items.length === 0}
      summary={(d) => `From the line items of deals won; top ${d.items.length}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={Math.max(HEIGHT, d.items.length * 32)}>
          <BarChart data={d.items.map((i) => ({ title: i.title, revenue: Number(i.revenue) }))} layout="vertical" accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis type="number" /><YAxis type="category" dataKey="title" width={140} />
            <Tooltip /><Bar dataKey="revenue" name="Revenue" fill={COLOURS[2]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="Revenue by product" head={["Product", "Quantity", "Revenue"]}
        rows={d.items.map((i) => [i.title, i.quantity, money(i.revenue, i.currency)])} />} />
  );
}
