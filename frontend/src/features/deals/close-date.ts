/** An open deal whose expected close date is before today (the rep's own calendar day) has slipped: the
 * board and the drawer say so in words, not only in colour. Won and lost deals are never overdue. */
export function closeDateOverdue(deal: { expected_close_date?: string | null; status: string }, now: Date = new Date()): boolean {
  if (deal.status !== "open" || !deal.expected_close_date) return false;
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  return deal.expected_close_date.slice(0, 10) < today;
}
