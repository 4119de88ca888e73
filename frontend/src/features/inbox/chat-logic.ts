import type { components } from "@/lib/api/schema";
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
