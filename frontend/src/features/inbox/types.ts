import type { components } from "@/lib/api/schema";

export type Conversation = components["schemas"]["ConversationRead"];
export type ConversationStatus = components["schemas"]["ConversationStatus"];
export type ConversationUpdate = components["schemas"]["ConversationUpdate"];
export type Message = components["schemas"]["MessageRead"];
export type Attachment = components["schemas"]["AttachmentRead"];
export type Classification = components["schemas"]["ClassificationSummary"];

/** What the list is narrowed to; every key maps to a query parameter of `GET /conversations`. */
export interface InboxFilters {
  view: "all" | "mine" | "unassigned";
  /** One person's conversations (with the view "all"). */
  assignee_id?: string;
  status?: ConversationStatus;
  channel_id?: string;
  intent?: string;
  priority?: string;
  junk?: boolean;
  q?: string;
  sort: "activity" | "priority";
}

export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: "Open",
  pending: "Waiting for the customer",
  closed: "Closed",
};

export const DELIVERY_LABELS: Record<string, string> = {
  queued: "Queued",
  sending: "Sending…",
  sent: "Sent",
  failed: "Failed",
  received: "Received",
};
