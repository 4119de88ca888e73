import type { Suggestion } from "./types";

/** The first non-blank line of a draft, for a list row. */
export function firstLine(text: string | null | undefined): string {
  return (text ?? "").split(/\r?\n/).map((line) => line.trim()).find(Boolean) ?? "";
}

/** A day picked in a date field (local time) as the instant it starts; `nextDay` gives the end of the range. */
export function dayStart(day: string, nextDay = false): string | undefined {
  if (!day) return undefined;
  const start = new Date(`${day}T00:00`);
  if (nextDay) start.setDate(start.getDate() + 1);
  return start.toISOString();
}

/** Only a reply the AI sent on its own takes a manager's verdict (the others were judged by whoever approved them). */
export function takesVerdict(s: Suggestion): boolean {
  return s.decision === "auto_send" && s.status === "sent";
}

/** A judged automatic reply: right, wrong (with why), or not judged yet. */
export function verdictOf(s: Suggestion): "right" | "wrong" | null {
  if (!takesVerdict(s) || !s.reviewed_at) return null;
  return s.reject_reason ? "wrong" : "right";
}

/** "order_status" -> "Order status". */
export function intentLabel(intent: string): string {
  const words = intent.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
