import type { components } from "@/lib/api/schema";
import { plural } from "@/lib/format";
import type { Conversation } from "./types";

type Reason = components["schemas"]["Reason"];

/** Channels whose threads read as a chat (bubbles, no subjects or quoting) and take replies only within 24 hours. */
export const CHAT_KINDS = new Set(["whatsapp", "messenger"]);

export function isChat(conversation: Pick<Conversation, "channel_kind">): boolean {
  return CHAT_KINDS.has(conversation.channel_kind ?? "");
}

export const CHANNEL_NAMES: Record<string, string> = { whatsapp: "WhatsApp", messenger: "Messenger", email: "email" };

/** Whether a free-form reply is refused now: on chat channels, from `reply_window_closes_at` on (that instant closed). */
export function replyWindowClosed(conversation: Pick<Conversation, "channel_kind" | "reply_window_closes_at">, now: Date = new Date()): boolean {
  if (!isChat(conversation) || !conversation.reply_window_closes_at) return false;
  return now.getTime() >= Date.parse(conversation.reply_window_closes_at);
}

const HOUR = 3_600_000;
// Messenger's HUMAN_AGENT tag: a person may answer up to 7 days after the customer's last message. The API
// says so in `reply_options`, but only once the 24-hour window has passed; a page opened before that needs
// the rule itself to move on at the right instant.
const HUMAN_AGENT_MS = 7 * 24 * HOUR;

/** What the composer offers now (the API's rules, inbox/chat.py): a typed reply, a typed reply that goes
 * as a human agent's (Messenger, 24 hours to 7 days), an approved template only (WhatsApp after 24 hours),
 * or nothing until the customer writes again. `changesAt`: when the next state begins, if it will. */
export type ComposerMode =
  | { kind: "free"; changesAt: string | null }
  | { kind: "human-agent"; until: string; changesAt: string }
  | { kind: "template" | "closed"; changesAt: null };

type WindowFields = Pick<Conversation, "channel_kind" | "reply_window_closes_at" | "last_inbound_at" | "reply_options">;

export function composerMode(c: WindowFields, now: Date = new Date()): ComposerMode {
  if (!isChat(c) || !replyWindowClosed(c, now)) return { kind: "free", changesAt: isChat(c) ? c.reply_window_closes_at ?? null : null };
  if (c.channel_kind === "whatsapp") return { kind: "template", changesAt: null };
  const until = c.reply_options?.human_agent_tag_until
    ?? (c.last_inbound_at ? new Date(Date.parse(c.last_inbound_at) + HUMAN_AGENT_MS).toISOString() : null);
  if (until && now.getTime() < Date.parse(until)) return { kind: "human-agent", until, changesAt: until };
  return { kind: "closed", changesAt: null };
}

/** "3 days ago", "26 hours ago": how long the customer has been waiting, as the composer says it. */
export function wroteAgo(lastInboundAt: string, now: Date = new Date()): string {
  const hours = Math.max(0, Math.floor((now.getTime() - Date.parse(lastInboundAt)) / HOUR));
  if (hours >= 48) return `${plural(Math.floor(hours / 24), "day")} ago`;
  if (hours === 0) return "less than an hour ago";
  return hours === 1 ? "an hour ago" : `${hours} hours ago`;
}

/** The reasons that moved the score most, either way: the ones worth reading first. */
export function topReasons(reasons: Reason[], n = 3): Reason[] {
  return [...reasons].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, n);
}

export function trendWords(trend: number): string {
  if (trend === 0) return "";
  return trend > 0 ? `, up ${trend} since the last score` : `, down ${-trend} since the last score`;
}

/** A product's price to the cent, as the shop lists it (totals elsewhere round to whole units). */
export function productPrice(amount: string, currency: string | null): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: currency ?? "EUR", minimumFractionDigits: 2 }).format(Number(amount));
  } catch {
    return `${amount} ${currency ?? ""}`.trim();
  }
}

/** The conversation's heading: its subject, or for a chat (which has none) the channel's name. */
export function conversationTitle(c: Pick<Conversation, "subject" | "channel_kind">): string {
  if (c.subject) return c.subject;
  return isChat(c) ? `${CHANNEL_NAMES[c.channel_kind ?? ""]} chat` : "(no subject)";
}
