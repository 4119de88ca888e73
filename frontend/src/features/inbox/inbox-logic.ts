/** The inbox's rules that are not drawing: filters <-> URL and query, snooze times, wording. */
import { formatPhone } from "@/lib/format";
import { DELIVERY_LABELS, type Conversation, type InboxFilters, type Message } from "./types";

const FILTER_KEYS = ["assignee_id", "status", "channel_id", "intent", "priority", "q"] as const;

/** Filters live in the URL so a narrowed inbox survives a reload and can be shared. */
export function filtersFromParams(params: URLSearchParams): InboxFilters {
  const view = params.get("view");
  const filters: InboxFilters = {
    view: view === "mine" || view === "unassigned" ? view : "all",
    sort: params.get("sort") === "priority" ? "priority" : "activity",
  };
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) Object.assign(filters, { [key]: value });
  }
  if (params.get("junk") === "true") filters.junk = true;
  return filters;
}

export function filtersToParams(filters: InboxFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.view !== "all") out.view = filters.view;
  if (filters.sort !== "activity") out.sort = filters.sort;
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) out[key] = value;
  }
  if (filters.junk) out.junk = "true";
  return out;
}

/** The API's query: "mine" and "unassigned" are the `assignee_id` values `me` and `none`; else one person's id. */
export function listQuery(filters: InboxFilters) {
  const assignee = filters.view === "mine" ? "me" : filters.view === "unassigned" ? "none" : filters.assignee_id;
  return {
    assignee_id: assignee,
    status: filters.status,
    channel_id: filters.channel_id,
    intent: filters.intent,
    priority: filters.priority,
    q: filters.q?.trim() || undefined,
    junk: filters.junk || undefined,
    sort: filters.sort,
  };
}

export interface SnoozeChoice {
  label: string;
  until: Date;
}

/** Later today (in 3 hours), tomorrow at 9:00 and next Monday at 9:00, in the rep's own time zone; a time
 * offered twice (on a Sunday tomorrow morning is next Monday) is offered once, under its first name. */
export function snoozeChoices(now: Date): SnoozeChoice[] {
  const inThreeHours = new Date(now.getTime() + 3 * 3_600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  monday.setHours(9, 0, 0, 0);
  const choices = [
    { label: "In 3 hours", until: inThreeHours },
    { label: "Tomorrow morning", until: tomorrow },
    { label: "Next Monday", until: monday },
  ];
  return choices.filter((c, i) => choices.findIndex((d) => d.until.getTime() === c.until.getTime()) === i);
}

/** A picked date and time (a datetime-local value, the rep's own time zone) as a snooze end; null while it is
 * empty, unreadable or not in the future, so nothing is snoozed into the past. */
export function customSnoozeUntil(value: string, now: Date): Date | null {
  if (!value) return null;
  const until = new Date(value);
  return Number.isNaN(until.getTime()) || until <= now ? null : until;
}

export function isSnoozed(conversation: Pick<Conversation, "snoozed_until">, now = new Date()): boolean {
  return Boolean(conversation.snoozed_until && new Date(conversation.snoozed_until) > now);
}

/** The part a reader needs: the customer's own words; the quoted history only on request. */
export function hasQuotedText(message: Pick<Message, "text" | "own_words">): boolean {
  return message.own_words.trim() !== "" && message.own_words.trim() !== message.text.trim();
}

export function counterpartName(conversation: Pick<Conversation, "contact" | "counterpart" | "channel_kind">): string {
  const contact = conversation.contact;
  const name = contact ? [contact.first_name, contact.last_name].filter(Boolean).join(" ") : "";
  return name || counterpartAddress(conversation) || "Unknown sender";
}

/** Where replies go, as a person reads it: a WhatsApp id is a phone number ("+44 7700 900123"); a
 * Messenger page-scoped id means nothing to a rep, so it is "Messenger customer …4821" (its last digits
 * tell two apart); an email address is shown as it is. */
export function counterpartAddress(conversation: Pick<Conversation, "counterpart" | "channel_kind">): string {
  const raw = conversation.counterpart ?? "";
  if (!raw) return raw;
  if (conversation.channel_kind === "whatsapp") return formatPhone(raw);
  if (conversation.channel_kind === "messenger") return `Messenger customer …${raw.slice(-4)}`;
  return raw;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

export function intentLabel(intent: string | null | undefined): string {
  if (!intent) return "";
  const words = intent.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The nav badge: unread messages in the newest open conversations (one page). Unread mail sits at
 * the top of a newest-first list, so a "+" appears only when the page's last one is unread too.
 */
export function unreadBadge(conversations: Pick<Conversation, "unread_count">[], more: boolean): string | null {
  const total = conversations.reduce((sum, c) => sum + c.unread_count, 0);
  if (total === 0) return null;
  if (total > 99) return "99+";
  const maybeMore = more && (conversations.at(-1)?.unread_count ?? 0) > 0;
  return `${total}${maybeMore ? "+" : ""}`;
}

/** Our newest reply in the thread (oldest first), when it never reached the customer: nothing of ours got
 * through since, so the customer is still waiting for an answer. */
export function undeliveredReply(messages: Message[]): Message | null {
  const ours = messages.filter((m) => m.direction === "outbound");
  const last = ours[ours.length - 1];
  return last?.status === "failed" ? last : null;
}

// The send jobs' mark on a reply back in the queue after an attempt that did not get through (channel/models.py).
const RETRY_PREFIX = "will retry: ";

/** A reply's delivery status as the thread shows it: a queued reply the job is retrying says why it waits. */
export function deliveryLabel(message: Pick<Message, "status" | "failure_reason">, labels: Record<string, string> = DELIVERY_LABELS): string {
  const reason = message.failure_reason ?? "";
  if (message.status === "queued" && reason.startsWith(RETRY_PREFIX)) return `Retrying: ${reason.slice(RETRY_PREFIX.length)}`;
  return labels[message.status] ?? message.status;
}
