import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { installFakeEvents } from "@/test/fake-event-source";
import { baseRoutes, installFakeApi, json, problem, type Call } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Conversation, Message } from "./types";

export const conversation = (id: string, subject: string, extra: Partial<Conversation> = {}): Conversation => ({
  id, channel_id: "ch-1", contact_id: "c-1", counterpart: "ada@example.org", status: "open", assignee_id: null, subject,
  is_junk: false, last_message_at: "2026-12-04T10:00:00Z", last_inbound_at: "2026-12-04T10:00:00Z", unread_count: 0,
  snoozed_until: null, intent: null, priority: null, created_at: "2026-12-04T09:00:00Z",
  contact: { id: "c-1", first_name: "Ada", last_name: "Lovelace", emails: ["ada@example.org"], owner_id: "u-rita" },
  ...extra,
});

export const message = (id: string, conversationId: string, text: string, extra: Partial<Message> = {}): Message => ({
  id, conversation_id: conversationId, direction: "inbound", sender: "ada@example.org", sender_name: "Ada Lovelace",
  recipients: { to: ["hello@shop.example"] }, subject: "Socks", text, html: null, own_words: text,
  provider_message_id: `${id}@example.org`, in_reply_to: null, references: [], is_junk: false, junk_reason: null,
  status: "received", failure_reason: null, author_id: null, occurred_at: "2026-12-04T10:00:00Z", sent_at: null,
  attachments: [], classification: null, ...extra,
});

const page = (items: unknown[], next_cursor: string | null = null) => json({ items, next_cursor });

const sideRoutes = {
  "GET /api/v1/ai/intents": () => json([{ name: "availability", description: "" }, { name: "pricing", description: "" }]),
  "GET /api/v1/pipelines": () => json([]),
  "GET /api/v1/deals": () => page([]),
  "GET /api/v1/suggestions": () => page([]),
  "GET /api/v1/insights/leads/:id": () => problem(404, "Not found", "This contact has no lead score yet."),
  "GET /api/v1/contacts/:id/recommendations": () => json({ items: [] }),
};

describe("the inbox list", () => {
  it("lists conversations with their unread counts, and the nav shows the unread total", async () => {
    installFakeApi({
      ...baseRoutes, ...sideRoutes,
      "GET /api/v1/conversations": () => page([
        conversation("cv-1", "Socks in size L?", { unread_count: 2, intent: "availability", priority: "urgent" }),
        conversation("cv-2", "Order #TH-1042", { contact: null, contact_id: null, counterpart: "bo@example.org" }),
      ]),
    });
    await signIn();
    renderApp("/inbox");
    const list = await screen.findByRole("list", { name: "Conversations" });
    const first = within(list).getByRole("link", { name: /Socks in size L\?/ });
    expect(first).toHaveAttribute("href", "/inbox/cv-1");
    expect(within(first).getByText("2 unread")).toBeInTheDocument();
    expect(within(first).getByText("Urgent")).toBeInTheDocument();
    expect(within(first).getByText("Availability")).toBeInTheDocument();
    expect(within(list).getByRole("link", { name: /bo@example.org/ })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    await waitFor(() => expect(within(nav).getByRole("link", { name: /Inbox/ })).toHaveTextContent("Inbox, 2 unread"));
  });

  it("steps through the list with the arrow keys and opens one with Enter", async () => {
    installFakeApi({
      ...baseRoutes, ...sideRoutes,
      "GET /api/v1/conversations": () => page([conversation("cv-1", "Socks in size L?"), conversation("cv-2", "Return")]),
      "GET /api/v1/conversations/cv-2": () => json(conversation("cv-2", "Return")),
      "GET /api/v1/conversations/cv-2/messages": () => page([]),
    });
    await signIn();
    renderApp("/inbox");
    const first = await screen.findByRole("link", { name: /Socks in size L\?/ });
    first.focus();
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByRole("link", { name: /Return/ })).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}");
    expect(first).toHaveFocus();
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(await screen.findByRole("heading", { level: 2, name: "Return" })).toHaveFocus();
  });

  it("narrows to mine, unassigned, a priority and a search, and loads more from the cursor", async () => {
    const api = installFakeApi({
      ...baseRoutes, ...sideRoutes,
      "GET /api/v1/conversations": ({ query }) => {
        if (query.get("cursor") === "p2") return page([conversation("cv-3", "Return")]);
        return page([conversation("cv-1", "Socks in size L?")], query.get("status") === "open" ? null : "p2");
      },
    });
    const listCalls = () => api.find("GET", "/api/v1/conversations").filter((c) => c.query.get("limit") === "50");
    const last = (): Call => listCalls().at(-1)!;
    await signIn();
    renderApp("/inbox");
    await screen.findByRole("link", { name: /Socks in size L\?/ });
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: /Return/ })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Mine" }));
    await waitFor(() => expect(last().query.get("assignee_id")).toBe("me"));
    expect(screen.getByRole("button", { name: "Mine" })).toHaveAttribute("aria-pressed", "true");
    await userEvent.click(screen.getByRole("button", { name: "Unassigned" }));
    await waitFor(() => expect(last().query.get("assignee_id")).toBe("none"));
    await userEvent.click(screen.getByText("More filters"));
    await userEvent.selectOptions(screen.getByLabelText("Priority"), "urgent");
    await userEvent.selectOptions(screen.getByLabelText("Intent"), "pricing");
    await userEvent.selectOptions(screen.getByLabelText("Sort"), "priority");
    await userEvent.type(screen.getByLabelText("Search"), "socks");
    await waitFor(() => expect(last().query.get("q")).toBe("socks"));
    expect(Object.fromEntries(last().query)).toMatchObject({ assignee_id: "none", priority: "urgent", intent: "pricing", sort: "priority" });
  });

  it("says so when nothing matches, and when the list cannot load", async () => {
    let fail = false;
    installFakeApi({
      ...baseRoutes, ...sideRoutes,
      "GET /api/v1/conversations": () => (fail ? problem(500, "Server error") : page([])),
    });
    await signIn();
    renderApp("/inbox");
    expect(await screen.findByText("No conversations yet.")).toBeInTheDocument();
    fail = true;
    await userEvent.click(screen.getByRole("button", { name: "Mine" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong on our side.");
  });

  it("shows a new customer message live, without a reload", async () => {
    const send = installFakeEvents();
    let items = [conversation("cv-1", "Socks in size L?")];
    installFakeApi({ ...baseRoutes, ...sideRoutes, "GET /api/v1/conversations": () => page(items) });
    await signIn();
    renderApp("/inbox");
    await screen.findByRole("link", { name: /Socks in size L\?/ });
    items = [conversation("cv-9", "Wholesale enquiry", { unread_count: 1 }), ...items];
    send("message.created", { conversation_id: "cv-9", message_id: "m-9", direction: "inbound", status: "received" });
    expect(await screen.findByRole("link", { name: /Wholesale enquiry/ })).toBeInTheDocument();
  });
});

function conversationApi(extra: Record<string, (call: Call) => ReturnType<typeof json>> = {}) {
  let current = conversation("cv-1", "Socks in size L?", { unread_count: 1, assignee_id: null });
  let messages = [
    message("m-1", "cv-1", "Are the socks back in L?\n\n> On Monday the shop wrote:\n> We restock soon.", {
      own_words: "Are the socks back in L?",
      classification: { intent: "availability", confidence: 0.87, priority: "high", sentiment: "neutral", language: "en", near_limit: false, model_version: 3 },
      attachments: [{ id: "at-1", filename: "order.pdf", content_type: "application/pdf", size: 24_576, stored: true }],
    }),
    message("m-2", "cv-1", "We are on it.", {
      direction: "outbound", sender: "hello@shop.example", author_id: "u-rita", status: "failed",
      failure_reason: "550 mailbox unavailable", occurred_at: "2026-12-04T11:00:00Z",
    }),
  ];
  const api = installFakeApi({
    ...baseRoutes, ...sideRoutes,
    "GET /api/v1/conversations": () => page([current]),
    "GET /api/v1/conversations/cv-1": () => json(current),
    "PATCH /api/v1/conversations/cv-1": ({ body }) => {
      const patch = body as Record<string, unknown>;
      current = { ...current, ...patch, unread_count: patch.read ? 0 : current.unread_count };
      return json(current);
    },
    "GET /api/v1/conversations/cv-1/messages": () => page(messages),
    "POST /api/v1/conversations/cv-1/messages": ({ body }) => {
      const sent = message("m-3", "cv-1", (body as { text: string }).text, {
        direction: "outbound", author_id: "u-rita", status: "queued", occurred_at: "2026-12-04T12:00:00Z",
      });
      messages = [...messages, sent];
      return json(sent, 201);
    },
    "GET /api/v1/deals": ({ query }) =>
      page(query.get("contact_id") === "c-1" ? [{ id: "d-1", title: "Spring order", amount: "1200.00", currency: "EUR", stage_id: "s-1", status: "open" }] : []),
    ...extra,
  });
  return { api, deliver: (status: string) => { messages = messages.map((m) => (m.id === "m-3" ? { ...m, status } : m)); } };
}

describe("a conversation", () => {
  it("marks it read on open and shows the customer's words, classification, attachments and a failed reply's reason", async () => {
    const { api } = conversationApi();
    await signIn();
    renderApp("/inbox/cv-1");
    expect(await screen.findByRole("heading", { level: 2, name: "Socks in size L?" })).toBeInTheDocument();
    await waitFor(() => expect(api.find("PATCH", "/api/v1/conversations/cv-1").map((c) => c.body)).toEqual([{ read: true }]));

    const inbound = await screen.findByRole("article", { name: "From Ada Lovelace" });
    expect(within(inbound).getByText("Are the socks back in L?")).toBeInTheDocument();
    expect(within(inbound).queryByText(/We restock soon/)).not.toBeInTheDocument();
    await userEvent.click(within(inbound).getByRole("button", { name: "Show quoted text" }));
    expect(within(inbound).getByText(/We restock soon/)).toBeInTheDocument();
    expect(within(inbound).getByRole("button", { name: "Hide quoted text" })).toHaveAttribute("aria-expanded", "true");

    const badges = within(inbound).getByLabelText("Classification");
    expect(badges).toHaveTextContent("Availability");
    expect(badges).toHaveTextContent("87% sure");
    expect(badges).toHaveTextContent("High priority");
    expect(badges).not.toHaveTextContent("close to out of scope");
    const attachments = within(inbound).getByRole("list", { name: "Attachments" });
    expect(attachments).toHaveTextContent("order.pdf");
    expect(attachments).toHaveTextContent("24 KB");
    expect(within(attachments).getByRole("button", { name: "Download order.pdf" })).toBeInTheDocument();

    const reply = screen.getByRole("article", { name: "Reply by Rita Chen" });
    expect(within(reply).getByText("Failed")).toBeInTheDocument();
    expect(within(reply).getByText("550 mailbox unavailable")).toBeInTheDocument();
    // Said again at the end of the thread, by the composer: the customer is still waiting.
    expect(screen.getByText("Your last reply did not reach the customer").closest("p")).toHaveTextContent(
      "(550 mailbox unavailable). They are still waiting: send it again, answer again below");

    const card = screen.getByRole("complementary", { name: "Contact" });
    expect(within(card).getByText("ada@example.org")).toBeInTheDocument();
    expect(within(card).getByText("Rita Chen")).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Open contact" })).toHaveAttribute("href", "/contacts/c-1");
    expect(await within(card).findByText("Spring order")).toBeInTheDocument();
  });

  it("says why a classification near the out-of-scope limit was held back", async () => {
    const near = { intent: "shipping", confidence: 0.32, priority: "normal", sentiment: "neutral", language: "en", near_limit: true, model_version: 3 };
    conversationApi({
      "GET /api/v1/conversations/cv-1/messages": () => page([message("m-1", "cv-1", "My cat sat on the parcel, is that covered?", { classification: near })]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const inbound = await screen.findByRole("article", { name: "From Ada Lovelace" });
    const badges = within(inbound).getByLabelText("Classification");
    expect(badges).toHaveTextContent("32% sure");
    expect(within(badges).getByText("Held back: close to out of scope")).toHaveAttribute("title", expect.stringContaining("a person decides"));
  });

  it("downloads an attachment with the session's token", async () => {
    const { api } = conversationApi({
      "GET /api/v1/conversations/cv-1/attachments/at-1": () => ({ status: 200, body: "PDF" }),
    });
    URL.createObjectURL = () => "blob:order";
    URL.revokeObjectURL = () => {};
    // jsdom cannot navigate: record what the browser would have been asked to save instead.
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(`${this.download} from ${this.href}`);
    });
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Download order.pdf" }));
    await waitFor(() => expect(saved).toEqual(["order.pdf from blob:order"]));
    const call = api.find("GET", "/api/v1/conversations/cv-1/attachments/at-1")[0];
    expect(call.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("moves a junked conversation into the inbox with Not junk", async () => {
    let junk = true;
    const { api } = conversationApi({
      "GET /api/v1/conversations/cv-1": () => json(conversation("cv-1", "New contact form message", { is_junk: junk, contact_id: junk ? null : "c-1" })),
      "PATCH /api/v1/conversations/cv-1": () => {
        junk = false;
        return json(conversation("cv-1", "New contact form message", { is_junk: false, counterpart: "clara.jung@example.net" }));
      },
      "GET /api/v1/conversations/cv-1/messages": () => page([message("m-1", "cv-1", "I need 4 pairs of the merino socks", junk
        ? { sender: "no-reply@trailhead.example", is_junk: true, junk_reason: "Precedence: bulk" }
        : { sender: "clara.jung@example.net", sender_name: "Clara Jung" })]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    expect(await screen.findByText("Automated: Precedence: bulk")).toBeInTheDocument();
    await userEvent.click(await screen.findByRole("button", { name: "Not junk" }));
    expect(await screen.findByText("Moved to the inbox.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/conversations/cv-1").map((c) => c.body)).toContainEqual({ junk: false });
    expect(await screen.findByRole("article", { name: "From Clara Jung" })).toBeInTheDocument();
    expect(screen.queryByText("Automated: Precedence: bulk")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Not junk" })).not.toBeInTheDocument();
  });

  it("assigns to me, closes, reopens and snoozes through PATCH", async () => {
    const { api } = conversationApi();
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Assign to me" }));
    expect(await screen.findByText("Assigned to you.")).toBeInTheDocument();
    expect(screen.getByText(/Assigned to you$/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(await screen.findByText("Closed.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Reopen" }));
    expect(await screen.findByText("Reopened.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Unassign" }));
    expect(await screen.findByText("Unassigned.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Snooze" }));
    await userEvent.click(screen.getByRole("button", { name: /Tomorrow morning/ }));
    expect(await screen.findByText(/^Snoozed until/)).toBeInTheDocument();

    const bodies = api.find("PATCH", "/api/v1/conversations/cv-1").map((c) => c.body as Record<string, unknown>);
    expect(bodies.slice(1, 5)).toEqual([{ assignee_id: "u-rita" }, { status: "closed" }, { status: "open" }, { assignee_id: null }]);
    const until = new Date(String(bodies[5].snoozed_until));
    expect(until.getHours()).toBe(9);
    expect(until.getTime()).toBeGreaterThan(Date.now());
  });

  it("snoozes until a picked date and time", async () => {
    const { api } = conversationApi();
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Snooze" }));
    const form = screen.getByRole("form", { name: "Snooze until a date and time" });
    expect(within(form).getByRole("button", { name: "Snooze until then" })).toBeDisabled();
    const ahead = new Date(Date.now() + 3 * 86_400_000);
    const value = `${ahead.getFullYear()}-${String(ahead.getMonth() + 1).padStart(2, "0")}-${String(ahead.getDate()).padStart(2, "0")}T16:45`;
    fireEvent.change(within(form).getByLabelText("Pick a date and time"), { target: { value } });
    await userEvent.click(within(form).getByRole("button", { name: "Snooze until then" }));
    expect(await screen.findByText(/^Snoozed until/)).toBeInTheDocument();
    const body = api.find("PATCH", "/api/v1/conversations/cv-1").at(-1)?.body as Record<string, unknown>;
    const until = new Date(String(body.snoozed_until));
    expect([until.getDate(), until.getHours(), until.getMinutes()]).toEqual([ahead.getDate(), 16, 45]);
  });

  it("sends a reply and shows its status change live", async () => {
    const send = installFakeEvents();
    const { api, deliver } = conversationApi();
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.type(await screen.findByLabelText("Reply to ada@example.org"), "Yes, size L is back on Friday.");
    expect(screen.getByText("Your last reply did not reach the customer")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    const article = (await screen.findByText("Yes, size L is back on Friday.")).closest("article")!;
    expect(within(article).getByText("Queued")).toBeInTheDocument();
    expect(screen.queryByText("Your last reply did not reach the customer")).not.toBeInTheDocument();  // a new one is on its way
    expect(screen.getByLabelText("Reply to ada@example.org")).toHaveValue("");
    expect(api.find("POST", "/api/v1/conversations/cv-1/messages")[0].body).toEqual({ text: "Yes, size L is back on Friday." });

    deliver("sent");
    send("message.updated", { conversation_id: "cv-1", message_id: "m-3", direction: "outbound", status: "sent" });
    expect(await within(article).findByText("Sent")).toBeInTheDocument();
  });

  it("sends a failed reply again, once, and shows it queued and who sent it again", async () => {
    const resent = (confirm: boolean) => message("m-2", "cv-1", "We are on it.", {
      direction: "outbound", sender: "hello@shop.example", author_id: "u-rita", status: "queued", failure_reason: null,
      occurred_at: "2026-12-04T11:00:00Z", resent_at: "2026-12-04T12:30:00Z", resent_by_id: "u-rita", send_attempts: confirm ? 2 : 1,
    });
    let retried = false;
    const { api } = conversationApi({
      "GET /api/v1/conversations/cv-1/messages": () => page([retried ? resent(false) : message("m-2", "cv-1", "We are on it.", {
        direction: "outbound", sender: "hello@shop.example", author_id: "u-rita", status: "failed",
        failure_reason: "550 mailbox unavailable", delivery_uncertain: false, occurred_at: "2026-12-04T11:00:00Z",
      })]),
      "POST /api/v1/conversations/cv-1/messages/m-2/retry": () => { retried = true; return json(resent(false)); },
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const reply = await screen.findByRole("article", { name: "Reply by Rita Chen" });
    await userEvent.click(within(reply).getByRole("button", { name: "Send again" }));
    expect(await within(reply).findByText("Queued")).toBeInTheDocument();
    expect(within(reply).getByText(/Sent again .* by Rita Chen/)).toBeInTheDocument();
    expect(within(reply).queryByRole("button", { name: "Send again" })).not.toBeInTheDocument();  // no second click
    expect(api.find("POST", "/api/v1/conversations/cv-1/messages/m-2/retry").map((c) => c.body)).toEqual([{ confirm_uncertain: false }]);
    expect(screen.queryByText("Your last reply did not reach the customer")).not.toBeInTheDocument();
  });

  it("asks before sending again a reply that may already have reached the customer", async () => {
    const { api } = conversationApi({
      "GET /api/v1/conversations/cv-1/messages": () => page([message("m-2", "cv-1", "We are on it.", {
        direction: "outbound", sender: "hello@shop.example", author_id: "u-rita", status: "failed", delivery_uncertain: true,
        failure_reason: "delivery uncertain: the attempt was interrupted", occurred_at: "2026-12-04T11:00:00Z",
      })]),
      "POST /api/v1/conversations/cv-1/messages/m-2/retry": ({ body }) => (body as { confirm_uncertain: boolean }).confirm_uncertain
        ? json(message("m-2", "cv-1", "We are on it.", { direction: "outbound", author_id: "u-rita", status: "queued" }))
        : problem(409, "Delivery uncertain", "It may already have reached the customer."),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const reply = await screen.findByRole("article", { name: "Reply by Rita Chen" });
    await userEvent.click(within(reply).getByRole("button", { name: "Send again" }));
    const confirm = within(reply).getByRole("group", { name: "Confirm sending again" });
    expect(confirm).toHaveTextContent("may already have reached the customer");
    await userEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(api.find("POST", "/api/v1/conversations/cv-1/messages/m-2/retry")).toEqual([]);  // nothing sent

    await userEvent.click(within(reply).getByRole("button", { name: "Send again" }));
    await userEvent.click(within(reply).getByRole("button", { name: "Send it again anyway" }));
    await waitFor(() => expect(api.find("POST", "/api/v1/conversations/cv-1/messages/m-2/retry").map((c) => c.body))
      .toEqual([{ confirm_uncertain: true }]));
  });

  it("says why a failed reply cannot be sent again", async () => {
    conversationApi({
      "POST /api/v1/conversations/cv-1/messages/m-2/retry": () => problem(409, "Reply window closed",
        "Outside the reply window, so this reply cannot be sent again as it is. Send an approved template now."),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const reply = await screen.findByRole("article", { name: "Reply by Rita Chen" });
    await userEvent.click(within(reply).getByRole("button", { name: "Send again" }));
    const alert = await within(reply).findByRole("alert");
    expect(alert).toHaveTextContent("Reply window closed.");
    expect(alert).toHaveTextContent("Send an approved template now.");
    expect(within(reply).getByText("Failed")).toBeInTheDocument();
  });

  it("explains a 409 when the channel cannot send", async () => {
    conversationApi({
      "POST /api/v1/conversations/cv-1/messages": () =>
        problem(409, "This conversation cannot be answered", "The conversation's channel has no outgoing mail server (settings.smtp) to send through."),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.type(await screen.findByLabelText("Reply to ada@example.org"), "Hello");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This conversation cannot be answered.");
    expect(alert).toHaveTextContent("no outgoing mail server");
    expect(screen.getByLabelText("Reply to ada@example.org")).toHaveValue("Hello"); // nothing typed is lost
  });

  it("says so when the conversation is not there or not shared", async () => {
    conversationApi({ "GET /api/v1/conversations/cv-1": () => problem(404, "Conversation not found") });
    await signIn();
    renderApp("/inbox/cv-1");
    expect(await screen.findByRole("alert")).toHaveTextContent("We couldn't find that record.");
  });
});
