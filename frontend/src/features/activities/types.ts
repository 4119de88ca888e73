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
