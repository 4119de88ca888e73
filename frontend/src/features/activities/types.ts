import type { components } from "@/lib/api/schema";

export type Activity = components["schemas"]["ActivityRead"];
export type ActivityCreate = components["schemas"]["ActivityCreate"];
export type ActivityType = Activity["type"];
export type MyTasks = components["schemas"]["MyTasks"];
export type TimelineEntry = components["schemas"]["TimelineEntry"];

/** A timeline entry's `data` when its kind is "stage_change" (the API types `data` as any). */
export interface StageChange {
  id: string;
  deal_id: string;
  from_stage_id: string | null;
  to_stage_id: string | null;
  from_status: "open" | "won" | "lost" | null;
  to_status: "open" | "won" | "lost";
  changed_by_id: string | null;
  changed_at: string;
  /** The deal that moved; a contact's or company's timeline holds several deals' moves. */
  deal_title?: string | null;
}

/** A timeline entry's `data` when its kind is "message" (the parts the timeline shows). */
export interface TimelineMessage {
  id: string;
  conversation_id: string;
  direction: "inbound" | "outbound" | string;
  subject: string;
  text: string;
  own_words?: string;
}

/** What a message row says: its subject, else the first line the customer (or we) wrote. */
export function messageSummary(m: Pick<TimelineMessage, "subject" | "text" | "own_words">): string {
  const words = (m.own_words || m.text || "").trim();
  const firstLine = words.split(/\r?\n/).find((line) => line.trim())?.trim() ?? "";
  const clipped = firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine;
  return m.subject.trim() || clipped || "(no text)";
}

/** The record an activity or timeline belongs to. */
export type Subject =
  | { kind: "contact"; id: string }
  | { kind: "company"; id: string }
  | { kind: "deal"; id: string };

export const TYPE_LABELS: Record<ActivityType, string> = {
  note: "Note",
  call: "Call",
  email: "Email",
  meeting: "Meeting",
  task: "Task",
};
