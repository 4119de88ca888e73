import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem, type Call } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { replyWindowClosed, topReasons, trendWords } from "./chat-logic";
import type { Conversation, Message } from "./types";

const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

const chat = (extra: Partial<Conversation> = {}): Conversation => ({
  id: "cv-wa", channel_id: "ch-wa", contact_id: "c-1", counterpart: "4915112345678", status: "open", assignee_id: null,
  subject: "", is_junk: false, last_message_at: iso(Date.now() - HOUR), last_inbound_at: iso(Date.now() - HOUR),
  unread_count: 0, snoozed_until: null, intent: null, priority: null, created_at: iso(Date.now() - 2 * HOUR),
  contact: { id: "c-1", first_name: "Ann", last_name: "Buyer", emails: [], owner_id: null },
  channel_kind: "whatsapp", reply_window_closes_at: iso(Date.now() + 23 * HOUR), ...extra,
});

const bubble = (id: string, text: string, extra: Partial<Message> = {}): Message => ({
  id, conversation_id: "cv-wa", direction: "inbound", sender: "4915112345678", sender_name: "Ann Buyer",
  recipients: { to: ["49301234567"] }, subject: "", text, html: null, own_words: text, provider_message_id: `wamid.${id}`,
  in_reply_to: null, references: [], is_junk: false, junk_reason: null, status: "received", failure_reason: null,
  author_id: null, occurred_at: iso(Date.now() - HOUR), sent_at: null, attachments: [], classification: null, ...extra,
});

const LEAD = {
  contact: { id: "c-1", name: "Ann Buyer", owner_id: null, company_id: null }, score: 72, previous_score: 60, trend: 12,
  model_version: 3, computed_at: "2026-12-05T02:00:00Z",
  reasons: [
    { feature: "recency", points: 2.0, text: "Wrote an hour ago" },
    { feature: "asked_to_buy", points: 18.5, text: "Asked to buy 2 days ago" },
    { feature: "no_deal", points: -6.0, text: "No open deal" },
    { feature: "stage", points: 9.0, text: "Deal in Negotiation" },
  ],
};

const RECOMMENDATIONS = {
  items: [
    { product: { id: "p-1", title: "Merino Hiking Socks", sku: "SOCK-1", price: "14.90", currency: "EUR", stock: 40 }, score: 0.9, reasons: ["Bought boots in October: socks go with them"] },
    { product: { id: "p-2", title: "Trail Jacket", sku: "JKT-2", price: "129.00", currency: "EUR", stock: 3 }, score: 0.7, reasons: ["Asked about jackets"] },
    { product: { id: "p-3", title: "Gaiters", sku: null, price: null, currency: null, stock: null }, score: 0.5, reasons: [] },
  ],
};

function chatApi(current: Conversation, extra: Record<string, (call: Call) => ReturnType<typeof json>> = {}) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/ai/intents": () => json([]),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/suggestions": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/conversations": () => json({ items: [current], next_cursor: null }),
    "GET /api/v1/conversations/cv-wa": () => json(current),
    "GET /api/v1/conversations/cv-wa/messages": () => json({ items: [
      bubble("m-1", "Is the blue lamp back in stock?"),
      bubble("m-2", "Yes, since this morning.", { direction: "outbound", sender: "49301234567", author_id: "u-rita", status: "read" }),
    ], next_cursor: null }),
    "GET /api/v1/insights/leads/c-1": () => json(LEAD),
    "GET /api/v1/contacts/c-1/recommendations": () => json(RECOMMENDATIONS),
    ...extra,
  });
}

describe("chat logic", () => {
  it("closes the window at its instant on chat channels only", () => {
    const at = "2026-12-05T10:00:00.000Z";
    const wa = { channel_kind: "whatsapp", reply_window_closes_at: at };
    expect(replyWindowClosed(wa, new Date(Date.parse(at) - 1))).toBe(false);
    expect(replyWindowClosed(wa, new Date(at))).toBe(true);
    expect(replyWindowClosed({ channel_kind: "email", reply_window_closes_at: null }, new Date(at))).toBe(false);
  });

  it("puts the strongest reasons first, either way, and words the trend", () => {
    expect(topReasons(LEAD.reasons).map((r) => r.feature)).toEqual(["asked_to_buy", "stage", "no_deal"]);
    expect([trendWords(12), trendWords(-3), trendWords(0)]).toEqual([", up 12 since the last score", ", down 3 since the last score", ""]);
  });
});

describe("a WhatsApp conversation", () => {
  it("reads as chat bubbles, with the lead score's top reasons and three recommendations beside it", async () => {
    chatApi(chat());
    await signIn();
    renderApp("/inbox/cv-wa");
    expect(await screen.findByRole("heading", { level: 2, name: "WhatsApp chat" })).toBeInTheDocument();
    const row = within(screen.getByRole("list", { name: "Conversations" })).getByRole("link", { name: /Ann Buyer/ });
    expect(row).toHaveTextContent("WhatsApp chat");
    expect(within(row).getByText("WhatsApp")).toHaveClass("badge");
    const thread = await screen.findByRole("region", { name: "Messages" });
    const theirs = await within(thread).findByRole("article", { name: "From Ann Buyer" });
    expect(theirs).toHaveClass("chat-bubble-inbound");
    expect(theirs).toHaveTextContent("Is the blue lamp back in stock?");
    const ours = within(thread).getByRole("article", { name: "Reply by Rita Chen" });
    expect(ours).toHaveClass("chat-bubble-outbound");
    expect(ours).toHaveTextContent("Read");
    expect(screen.getByLabelText("Reply to 4915112345678")).toBeEnabled();

    const card = screen.getByRole("complementary", { name: "Contact" });
    expect(await within(card).findByText("72")).toBeInTheDocument();
    expect(within(card).getByText(/up 12 since the last score/)).toBeInTheDocument();
    const reasons = within(card).getByRole("list", { name: "Why this score" });
    expect(within(reasons).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["▲ Asked to buy 2 days ago", "▲ Deal in Negotiation", "▼ No open deal"]);
    const products = (await within(card).findByText("Merino Hiking Socks")).closest("ol")!;
    expect(within(products).getAllByRole("listitem")).toHaveLength(3);
    expect(products).toHaveTextContent("Merino Hiking Socks · €14.90 · 40 in stock");
    expect(products).toHaveTextContent("Bought boots in October: socks go with them");
  });

  it("turns the composer off with the reason once the 24-hour window has closed", async () => {
    const api = chatApi(chat({ last_inbound_at: "2026-12-01T09:00:00Z", reply_window_closes_at: "2026-12-02T09:00:00Z" }));
    await signIn();
    renderApp("/inbox/cv-wa");
    const note = await screen.findByRole("note", { name: "Reply window closed" });
    expect(note).toHaveTextContent("The 24-hour reply window is closed.");
    expect(note).toHaveTextContent("WhatsApp accepts free-form replies only within 24 hours");
    expect(screen.getByLabelText("Reply to 4915112345678")).toBeDisabled();
    expect(screen.getByRole("button", { name: "Send reply" })).toBeDisabled();
    expect(api.find("POST", "/api/v1/conversations/cv-wa/messages")).toHaveLength(0);
  });

  it("shows the API's reason when the window closed after the page was read", async () => {
    chatApi(chat(), {
      "POST /api/v1/conversations/cv-wa/messages": () => problem(409, "Reply window closed",
        "The 24-hour reply window is closed (the customer last wrote: 2026-12-04T09:00:00+00:00); only approved templates may be sent now."),
    });
    await signIn();
    renderApp("/inbox/cv-wa");
    await userEvent.type(await screen.findByLabelText("Reply to 4915112345678"), "Still interested?");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Reply window closed.");
    expect(alert).toHaveTextContent("only approved templates may be sent now");
  });

  it("says when the contact is not scored yet and has nothing to recommend", async () => {
    chatApi(chat(), {
      "GET /api/v1/insights/leads/c-1": () => problem(404, "Not found", "This contact has no lead score yet."),
      "GET /api/v1/contacts/c-1/recommendations": () => json({ items: [] }),
    });
    await signIn();
    renderApp("/inbox/cv-wa");
    const card = await screen.findByRole("complementary", { name: "Contact" });
    expect(await within(card).findByText("Not scored yet.")).toBeInTheDocument();
    expect(await within(card).findByText("Nothing to recommend yet.")).toBeInTheDocument();
  });
});
