import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem, type Call } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { composerMode, replyWindowClosed, topReasons, trendWords, wroteAgo } from "./chat-logic";
import type { Conversation, Message } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

const chat = (extra: Partial<Conversation> = {}): Conversation => ({
  id: "cv-wa", channel_id: "ch-wa", contact_id: "c-1", counterpart: "4915112345678", status: "open", assignee_id: null,
  subject: "", is_junk: false, last_message_at: iso(Date.now() - HOUR), last_inbound_at: iso(Date.now() - HOUR),
  unread_count: 0, snoozed_until: null, intent: null, priority: null, created_at: iso(Date.now() - 2 * HOUR),
  contact: { id: "c-1", first_name: "Ann", last_name: "Buyer", emails: [], phones: ["+4915112345678"], owner_id: null },
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

  it("says what the composer offers past each edge, and how long the customer has waited", () => {
    const wrote = Date.parse("2026-12-01T10:00:00.000Z");
    const at = (ms: number) => new Date(wrote + ms);
    const wa = { channel_kind: "whatsapp", last_inbound_at: iso(wrote), reply_window_closes_at: iso(wrote + DAY), reply_options: null };
    const fb = { ...wa, channel_kind: "messenger" };
    expect(composerMode(wa, at(DAY - 1))).toEqual({ kind: "free", changesAt: iso(wrote + DAY) });
    expect(composerMode(wa, at(DAY)).kind).toBe("template");
    // A page read inside the 24 hours has no human_agent_tag_until yet: the 7 days are counted here too.
    expect(composerMode(fb, at(3 * DAY))).toEqual({ kind: "human-agent", until: iso(wrote + 7 * DAY), changesAt: iso(wrote + 7 * DAY) });
    expect(composerMode(fb, at(7 * DAY)).kind).toBe("closed");
    expect(composerMode({ ...wa, channel_kind: "email", reply_window_closes_at: null }, at(30 * DAY)).kind).toBe("free");
    expect([wroteAgo(iso(wrote), at(HOUR)), wroteAgo(iso(wrote), at(26 * HOUR)), wroteAgo(iso(wrote), at(3 * DAY + HOUR))])
      .toEqual(["an hour ago", "26 hours ago", "3 days ago"]);
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
    expect(screen.getByLabelText("Reply to +49 1511 2345678")).toBeEnabled();

    const card = screen.getByRole("complementary", { name: "Contact" });
    expect(card).toHaveTextContent("Phone+49 1511 2345678");
    expect(card).not.toHaveTextContent("Email");
    expect(card).not.toHaveTextContent("None");
    expect(await within(card).findByText("72")).toBeInTheDocument();
    expect(within(card).getByText(/up 12 since the last score/)).toBeInTheDocument();
    const reasons = within(card).getByRole("list", { name: "Why this score" });
    expect(within(reasons).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["▲ Asked to buy 2 days ago", "▲ Deal in Negotiation", "▼ No open deal"]);
    const products = (await within(card).findByText("Merino Hiking Socks")).closest("ol")!;
    expect(within(products).getAllByRole("listitem")).toHaveLength(3);
    expect(products).toHaveTextContent("Merino Hiking Socks · €14.90 · 40 in stock");
    expect(products).toHaveTextContent("Bought boots in October: socks go with them");
  });

  it("says why a reply waits while it is being retried, instead of a bare Queued", async () => {
    chatApi(chat(), {
      "GET /api/v1/conversations/cv-wa/messages": () => json({ items: [
        bubble("m-1", "Is the blue lamp back in stock?"),
        bubble("m-2", "Yes, since this morning.", { direction: "outbound", sender: "49301234567", author_id: "u-rita", status: "queued",
          failure_reason: "will retry: Graph API unreachable: cannot resolve graph.facebook.com" }),
      ], next_cursor: null }),
    });
    await signIn();
    renderApp("/inbox/cv-wa");
    const ours = await screen.findByRole("article", { name: "Reply by Rita Chen" });
    expect(ours).toHaveTextContent("Retrying: Graph API unreachable: cannot resolve graph.facebook.com");
    expect(ours).not.toHaveTextContent("Queued");
  });

  it("on Messenger between 24 hours and 7 days, keeps the composer on and says the reply goes as a human agent's", async () => {
    const wrote = Date.now() - 3 * DAY;
    const api = chatApi(chat({ channel_kind: "messenger", last_inbound_at: iso(wrote), reply_window_closes_at: iso(wrote + DAY),
      reply_options: { free_text: true, template_required: false, human_agent_tag_until: iso(wrote + 7 * DAY) } }), {
      "POST /api/v1/conversations/cv-wa/messages": () => json(bubble("m-3", "Sorry for the wait", { direction: "outbound", status: "queued" }), 201),
    });
    await signIn();
    renderApp("/inbox/cv-wa");
    const note = await screen.findByRole("note", { name: "Sent as a human agent's reply" });
    expect(note).toHaveTextContent("The customer last wrote 3 days ago: past Messenger's 24 hours, so your reply goes as a human agent's message");
    const box = screen.getByLabelText("Reply to Ann Buyer");
    expect(box).toBeEnabled();
    await userEvent.type(box, "Sorry for the wait");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    expect(await screen.findByText("Reply queued: its status shows in the thread.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/conversations/cv-wa/messages")[0].body).toEqual({ text: "Sorry for the wait" });
  });

  it("on Messenger after 7 days, turns the composer off with the reason", async () => {
    const wrote = Date.now() - 8 * DAY;
    const api = chatApi(chat({ channel_kind: "messenger", last_inbound_at: iso(wrote), reply_window_closes_at: iso(wrote + DAY),
      reply_options: { free_text: false, template_required: false, human_agent_tag_until: null } }));
    await signIn();
    renderApp("/inbox/cv-wa");
    const note = await screen.findByRole("note", { name: "Reply window closed" });
    expect(note).toHaveTextContent("The customer last wrote 8 days ago: Messenger allows a person's reply only within 7 days");
    expect(screen.getByLabelText("Reply to Ann Buyer")).toBeDisabled();
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
    await userEvent.type(await screen.findByLabelText("Reply to +49 1511 2345678"), "Still interested?");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Reply window closed.");
    expect(alert).toHaveTextContent("only approved templates may be sent now");
  });

  it("offers a failed bubble to be sent again, and says why not when the window has closed", async () => {
    const api = chatApi(chat(), {
      "GET /api/v1/conversations/cv-wa/messages": () => json({ items: [
        bubble("m-1", "Is the blue lamp back in stock?"),
        bubble("m-2", "Yes, since this morning.", { direction: "outbound", sender: "49301234567", author_id: "u-rita",
          status: "failed", failure_reason: "131026 Message undeliverable", delivery_uncertain: false }),
      ], next_cursor: null }),
      "POST /api/v1/conversations/cv-wa/messages/m-2/retry": () => problem(409, "Reply window closed",
        "Outside the reply window, so this reply cannot be sent again as it is. Send an approved template now."),
    });
    await signIn();
    renderApp("/inbox/cv-wa");
    const ours = await screen.findByRole("article", { name: "Reply by Rita Chen" });
    expect(within(ours).getByText(/131026 Message undeliverable/)).toBeInTheDocument();
    await userEvent.click(within(ours).getByRole("button", { name: "Send again" }));
    expect(await within(ours).findByRole("alert")).toHaveTextContent("Send an approved template now.");
    expect(api.find("POST", "/api/v1/conversations/cv-wa/messages/m-2/retry").map((c) => c.body)).toEqual([{ confirm_uncertain: false }]);
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
