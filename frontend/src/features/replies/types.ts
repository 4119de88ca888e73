import type { components } from "@/lib/api/schema";

export type Suggestion = components["schemas"]["SuggestionRead"];
export type AuditStep = components["schemas"]["AuditRead"];
export type Activity = components["schemas"]["ActivityRead"];

/** One row of `suggestion.facts`: a product field as synced, or a knowledge entry. */
export interface Fact {
  product_id?: string;
  knowledge_id?: string;
  sku?: string | null;
  field: string;
  value: unknown;
  source_updated_at?: string;
  match?: string;
  version?: number;
}

/** One entry of `grounding.failed_claims`, or of a 422 `ungrounded-reply` problem. */
export interface FailedClaim {
  claim: string;
  kind?: string;
  reason?: string;
}

export const STATUS_LABELS: Record<string, string> = {
  sent: "Sent automatically",
  pending: "Waiting for your approval",
  approved: "Approved and sent",
  edited: "Edited and sent",
  rejected: "Rejected",
  escalated: "Escalated to a person",
  shadow: "Shadow mode: not sent",
  ignored: "Not answered",
  send_failed: "Sent, but not delivered: a person answers",
  superseded: "Not sent: already answered",
};

export const DECISION_LABELS: Record<string, string> = {
  auto_send: "Send automatically",
  approval: "Needs approval",
  escalate: "Escalate",
  ignore: "Ignore",
};

export const ACTION_LABELS: Record<string, string> = {
  decided: "Decided",
  sent: "Sent automatically",
  escalated: "Escalated",
  approved: "Approved",
  edited: "Edited and sent",
  rejected: "Rejected",
  send_failed: "Reply not delivered",
  sent_after_failure: "Delivered after all",
  rerouted: "Re-routed",
  superseded: "Retired: the conversation was answered",
};

export function asFacts(rows: Suggestion["facts"]): Fact[] {
  return rows as unknown as Fact[];
}

export function asFailedClaims(rows: unknown): FailedClaim[] {
  return Array.isArray(rows) ? rows.filter((r): r is FailedClaim => typeof r?.claim === "string") : [];
}

/** Why a reply the AI sent (or a person approved) never reached the customer, from its "reply failed: ..."
 * reason; null unless the suggestion is `send_failed`. */
export function sendFailure(s: Suggestion): string | null {
  if (s.status !== "send_failed") return null;
  const line = [...s.reasons].reverse().find((r) => r.startsWith(SEND_FAILED_PREFIX));
  return line ? line.slice(SEND_FAILED_PREFIX.length).trim() : "no reason given";
}

const SEND_FAILED_PREFIX = "reply failed:";
