import type { Suggestion } from "./types";

export interface QueueRow {
  suggestion: Suggestion;
  taskId: string | null;
  dueAt: string | null;
}

/** Overdue first, then by due time; escalations without a due time last, oldest first. */
export function sortQueue(rows: QueueRow[]): QueueRow[] {
  const due = (r: QueueRow) => (r.dueAt ? new Date(r.dueAt).getTime() : Number.POSITIVE_INFINITY);
  return [...rows].sort((a, b) => due(a) - due(b) || a.suggestion.created_at.localeCompare(b.suggestion.created_at));
}

export function isOverdue(dueAt: string | null, now: number = Date.now()): boolean {
  return dueAt !== null && new Date(dueAt).getTime() < now;
}
