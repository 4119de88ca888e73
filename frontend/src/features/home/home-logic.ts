/** Wording for the home screen's numbers, kept apart from the components so it is tested alone. */

/** "up 12" / "down 3" / "": how a lead score moved since the last scoring. */
export function trendText(trend: number): string {
  if (trend > 0) return `up ${trend}`;
  if (trend < 0) return `down ${-trend}`;
  return "";
}

/** How severe a churn alert is, in words (severity runs 0 to 1). */
export function severityText(severity: number): "High" | "Medium" | "Low" {
  if (severity >= 0.7) return "High";
  if (severity >= 0.4) return "Medium";
  return "Low";
}

/** "3 days overdue", "5 hours overdue", "overdue" for a task due at `dueAt`. */
export function overdueText(dueAt: string | null | undefined, now: Date = new Date()): string {
  if (!dueAt) return "overdue";
  const hours = Math.floor((now.getTime() - new Date(dueAt).getTime()) / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days overdue`;
  if (hours >= 24) return "1 day overdue";
  if (hours >= 2) return `${hours} hours overdue`;
  return "just overdue";
}

/** Whether the digest has anything at all, for one friendly empty state instead of five. */
export function isQuietDay(today: { leads: unknown[]; churn: unknown[]; opportunities: unknown[]; overdue_escalations: unknown[]; overdue_tasks: unknown[] }): boolean {
  return [today.leads, today.churn, today.opportunities, today.overdue_escalations, today.overdue_tasks].every((list) => list.length === 0);
}
