/** Whether an escalation's due time has passed (none: never overdue). */
export function isOverdue(dueAt: string | null, now: number = Date.now()): boolean {
  return dueAt !== null && new Date(dueAt).getTime() < now;
}
