import type { ActivityData, AnalyticsFilter, AutomationData, MessagesData, PipelineData } from "./types";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` UTC days, today included: the API's own default. */
export function defaultRange(days = 30, now: Date = new Date()): { from: string; to: string } {
  const first = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: day(first), to: day(now) };
}

export function filterFromParams(params: URLSearchParams, now: Date = new Date()): AnalyticsFilter {
  const range = defaultRange(30, now);
  return {
    from: params.get("from") || range.from, to: params.get("to") || range.to,
    owner_id: params.get("owner_id") || undefined, team_id: params.get("team_id") || undefined,
  };
}

export function filterToParams(filter: AnalyticsFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as Record<string, string>;
}

/** "42 s", "18 min", "3.5 h", "2.1 days": a duration a manager reads at a glance. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} days`;
}

export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? "—" : `${Math.round(share * 1000) / 10}%`;
}

/** Stages in pipeline order, one bar each; a second pipeline's stages carry its name. */
export function pipelineBars(data: PipelineData) {
  const pipelines = new Set(data.stages.map((s) => s.pipeline_id));
  return [...data.stages]
    .sort((a, b) => a.pipeline_name.localeCompare(b.pipeline_name) || a.position - b.position)
    .map((s) => ({
      stage: pipelines.size > 1 ? `${s.pipeline_name}: ${s.stage_name}` : s.stage_name,
      amount: Number(s.amount), deals: s.deal_count, change: Number(s.amount_change), currency: s.currency,
    }));
}

/**
 * One row per period (the API's `interval`: day, week or month, each keyed by its first day) with a
 * count per channel, for a stacked chart. Daily series show quiet days as zeros; longer periods
 * show the periods the API sent.
 */
export function messagesByDay(data: MessagesData): { rows: Record<string, number | string>[]; channels: string[] } {
  const channels = Object.keys(data.by_channel).sort();
  const empty = (d: string) => ({ day: d, ...Object.fromEntries(channels.map((c) => [c, 0])) });
  const byDay = new Map<string, Record<string, number | string>>();
  if (data.interval === "day") {
    for (let t = Date.parse(`${data.from_day}T00:00:00Z`); t <= Date.parse(`${data.to_day}T00:00:00Z`); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      byDay.set(d, empty(d));
    }
  }
  for (const m of [...data.days].sort((a, b) => a.day.localeCompare(b.day))) {
    if (!byDay.has(m.day)) byDay.set(m.day, empty(m.day));
    const row = byDay.get(m.day) as Record<string, number | string>;
    row[m.channel] = Number(row[m.channel] ?? 0) + m.count;
  }
  return { rows: [...byDay.values()].sort((a, b) => String(a.day).localeCompare(String(b.day))), channels };
}

/** The funnel's steps, largest first: what the AI decided, then what happened to it. */
export function funnelSteps(data: AutomationData) {
  return [
    { step: "Decided", count: data.decided },
    { step: "Sent automatically", count: data.auto_sent },
    { step: "Approved as drafted", count: data.approved },
    { step: "Edited, then sent", count: data.edited },
    { step: "Rejected", count: data.rejected },
    { step: "Escalated", count: data.escalated },
    { step: "Waiting for approval", count: data.pending },
    // Sent, then refused or bounced: a person has it now (one sent again successfully leaves this step).
    { step: "Failed to reach customer", count: data.send_failed },
  ];
}

/** Sorted entries of a count map, largest first. */
export function countsDesc(map: Record<string, number>): { name: string; count: number }[] {
  return Object.entries(map).map(([name, count]) => ({ name: name.replace(/_/g, " "), count })).sort((a, b) => b.count - a.count);
}

export const PERIOD_HEADS: Record<MessagesData["interval"], string> = { day: "Day", week: "Week from", month: "Month from" };

/** One row per rep (activities nobody owns as "Unassigned") and the activity types seen, for a stacked chart. */
export function activityRows(data: ActivityData): { rows: Record<string, number | string>[]; types: string[] } {
  const types = [...new Set(data.reps.flatMap((r) => Object.keys(r.by_type)))].sort();
  const rows = data.reps.map((r) => ({
    rep: r.owner_id === null ? "Unassigned" : r.name || "Former user", total: r.total, done: r.done,
    ...Object.fromEntries(types.map((t) => [t, r.by_type[t] ?? 0])),
  }));
  return { rows, types };
}
