import type { components } from "@/lib/api/schema";

export type Policy = components["schemas"]["Policy"];
export type PolicyUpdate = components["schemas"]["PolicyUpdate"];
export type IntentRule = components["schemas"]["IntentRule"];
export type Knowledge = components["schemas"]["KnowledgeRead"];
export type KnowledgeVersion = components["schemas"]["KnowledgeVersionRead"];

/** `GET /api/v1/ai/calibration` (an untyped document in the schema; its shape is calibration.py's). */
export interface Tally {
  reviewed: number;
  accepted: number;
  unchanged: number;
  precision: number | null;
  unchanged_share: number | null;
}
export interface ThresholdRow extends Tally {
  threshold: number;
  auto_send_share: number | null;
}
export interface Calibration {
  decided: number;
  reviewed: number;
  bands: (Tally & { low: number; high: number })[];
  intents: Record<string, Tally>;
  thresholds: ThresholdRow[];
}

export const MODE_LABELS: Record<string, string> = {
  live: "Live: decide and send",
  shadow: "Shadow: decide and record, never send",
  off: "Off: no AI replies",
};

export const RULE_LABELS: Record<IntentRule, string> = {
  auto: "May send automatically",
  approval_only: "Always needs approval",
  never_reply: "Never reply",
};
