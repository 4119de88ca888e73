import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import { useAutomationFunnel, useDealAnalytics, useMessageAnalytics, usePipelineAnalytics, useResponseTimes, useRevenueByProduct } from "../api/analytics";
import { countsDesc, formatDuration, funnelSteps, messagesByDay, percent, pipelineBars } from "../analytics-logic";
import type { AnalyticsFilter } from "../types";
import { ChartCard, COLOURS } from "./chart-card";

const HEIGHT = 260;
const money = (amount: string | number, currency: string) => formatMoney(String(amount), currency);

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r, i) => (
        <tr key={i}>{r.map((cell, j) => j === 0 ? <th key={j} scope="row" data-label={head[j]}>{cell}</th> : <td key={j} data-label={head[j]}>{cell}</td>)}</tr>
      ))}</tbody>
    </table>
  );
}

export function PipelineChart({ filter }: { filter: AnalyticsFilter }) {
  const query = usePipelineAnalytics(filter);
  return (
    <ChartCard label="Pipeline" query={query} title="Pipeline by stage" empty={(d) => d.stages.length === 0}
      summary={(d) => `${d.stages.reduce((n, s) => n + s.deal_count, 0)} open deals on ${d.to_day}.`}
      chart={(d) => (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={pipelineBars(d)} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="stage" /><YAxis width={64} />
            <Tooltip /><Bar dataKey="amount" name="Open value" fill={COLOURS[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
      table={(d) => <Table caption="Pipeline by stage" head={["Stage", "Open deals", "Value", "Change in range"]}
        rows={pipelineBars(d).map((s) => [s.stage, s.deals, money(s.amount, s.currency), money(s.change, s.currency)])} />} />
  );
}

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

export function ResponseTimesChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useResponseTimes(filter);
  const rows = (d: NonNullable<typeof query.data>) => [
    { name: "First response", median: (d.first_response.median_seconds ?? 0) / 60, p90: (d.first_response.p90_seconds ?? 0) / 60, ...d.first_response },
    { name: "Resolution", median: (d.resolution.median_seconds ?? 0) / 60, p90: (d.resolution.p90_seconds ?? 0) / 60, ...d.resolution },
  ];
  return (
    <ChartCard label="Response times" query={query} title="Response times (minutes)" empty={(d) => d.first_response.count + d.resolution.count === 0}
      summary={(d) => `Median first response ${formatDuration(d.first_response.median_seconds)} over ${d.first_response.count} conversations.`}
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
      table={(d) => (
        <>
          <Table caption="Messages by channel" head={["Channel", "Messages"]} rows={countsDesc(d.by_channel).map((c) => [c.name, c.count])} />
          <Table caption="Messages by intent" head={["Intent", "Messages"]} rows={countsDesc(d.by_intent).map((c) => [c.name, c.count])} />
        </>
      )} />
  );
}

export function AutomationChart({ filter }: { filter: AnalyticsFilter }) {
  const query = useAutomationFunnel(filter);
  return (
    <ChartCard label="AI automation" query={query} title="AI automation funnel" empty={(d) => d.decided === 0}
      summary={(d) => `${d.decided} messages decided; ${d.auto_sent} sent automatically; precision of reviewed drafts ${percent(d.precision)}.`}
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
