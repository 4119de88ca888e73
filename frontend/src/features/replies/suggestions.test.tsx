import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { installFakeEvents } from "@/test/fake-event-source";
import { renderApp, signIn } from "@/test/render";
import type { Suggestion } from "./types";

const DRAFT = "Hi Ada,\n\nThe Merino Hiking Socks (SKU SOCK-MER-M) cost 18.00 EUR. We have 65 in stock.\n\nThe shop team";

const suggestion = (extra: Partial<Suggestion> = {}): Suggestion => ({
  id: "sg-1", message_id: "m-1", conversation_id: "cv-1", intent: "availability", confirmed_intent: null, confidence: 0.82, confidence_parts: {},
  decision: "approval", reasons: ["confidence 0.82 is below the auto-send threshold 0.90"], status: "pending", draft_text: DRAFT, sent_text: null,
  facts: [
    { product_id: "p-1", sku: null, field: "title", value: "Merino Hiking Socks", source_updated_at: "2026-12-05T09:00:00Z", match: "name" },
    { product_id: "p-1", sku: "SOCK-MER-M", field: "price", value: "18.00 EUR", source_updated_at: "2026-12-05T09:00:00Z", match: "name" },
    { product_id: "p-1", sku: "SOCK-MER-M", field: "stock", value: 65, source_updated_at: "2026-12-05T09:00:00Z", match: "name" },
  ],
  grounding: { ok: true, failed_claims: [] }, provider: "local", model_version: "local-1", prompt_version: "p1",
  sent_message_id: null, reviewed_by_id: null, reviewed_at: null, reject_reason: null, created_at: "2026-12-05T10:00:00Z", ...extra,
});

const conversation = {
  id: "cv-1", channel_id: "ch-1", contact_id: "c-1", counterpart: "ada@example.org", status: "open", assignee_id: "u-rita", subject: "Socks in M?",
  is_junk: false, last_message_at: "2026-12-05T10:00:00Z", last_inbound_at: "2026-12-05T10:00:00Z", unread_count: 0, snoozed_until: null,
  intent: "availability", priority: "normal", created_at: "2026-12-05T10:00:00Z",
  contact: { id: "c-1", first_name: "Ada", last_name: "Lovelace", emails: ["ada@example.org"], owner_id: "u-rita" },
};

const page = (items: unknown[]) => json({ items, next_cursor: null });

function suggestionsApi(list: () => Suggestion[], routes: Parameters<typeof installFakeApi>[0] = {}) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/conversations": () => page([conversation]),
    "GET /api/v1/conversations/cv-1": () => json(conversation),
    "GET /api/v1/conversations/cv-1/messages": () => page([]),
    "GET /api/v1/ai/intents": () => json([]),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/deals": () => page([]),
    "GET /api/v1/suggestions": ({ query }) => (query.get("conversation_id") === "cv-1" ? page(list()) : page([])),
    ...routes,
  });
}

describe("AI suggestions in the conversation", () => {
  it("shows the draft with its confidence, intent and decision, grounded claims highlighted, and the facts it used", async () => {
    suggestionsApi(() => [suggestion()]);
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: "AI suggestion: Waiting for your approval" });
    expect(card).toHaveTextContent("Intent: availability");
    expect(card).toHaveTextContent("Confidence: 82%");
    expect(card).toHaveTextContent("Decision: Needs approval");
    const marks = card.querySelectorAll("mark.claim-grounded");
    expect([...marks].map((m) => m.firstChild?.textContent)).toEqual(["Merino Hiking Socks", "SOCK-MER-M", "18.00 EUR", "65 in stock"]);
    await userEvent.click(within(card).getByText(/Facts used/));
    const facts = within(card).getByRole("table", { name: "Facts the draft used" });
    expect(within(facts).getByText("18.00 EUR")).toBeInTheDocument();
    expect(within(facts).getAllByText("SOCK-MER-M")).toHaveLength(2);
  });

  it("marks the claims grounding found false", async () => {
    suggestionsApi(() => [suggestion({ draft_text: "They cost 15.00 EUR.", grounding: { ok: false, failed_claims: [{ claim: "15.00 EUR", kind: "price", reason: "no such price" }] } })]);
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: /AI suggestion/ });
    expect(card.querySelector("mark.claim-failed")).toHaveTextContent("15.00 EUR (not supported)");
    expect(card).toHaveTextContent("Some claims are not supported by the catalogue");
  });

  it("edits the draft, shows the edit as a diff, and sends the edited text", async () => {
    let current = suggestion();
    const api = suggestionsApi(() => [current], {
      "POST /api/v1/suggestions/sg-1/approve": ({ body }) => {
        current = { ...current, status: "edited", sent_text: (body as { text: string }).text, sent_message_id: "m-9" };
        return json(current);
      },
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: /Waiting for your approval/ });
    await userEvent.click(within(card).getByRole("button", { name: "Edit" }));
    const box = within(card).getByLabelText("Edit the reply");
    await userEvent.clear(box);
    await userEvent.type(box, DRAFT.replace("We have 65 in stock.", "Plenty in stock, ships today."));
    await userEvent.click(within(card).getByRole("button", { name: "Review changes" }));
    const diff = within(card).getByLabelText("Your changes");
    expect(diff.querySelector("del")).toHaveTextContent(/removed:.*65/);
    expect([...diff.querySelectorAll("ins")].map((n) => n.textContent).join(" ")).toMatch(/Plenty.*ships today/);
    expect(api.find("POST", "/api/v1/suggestions/sg-1/approve")).toHaveLength(0);
    await userEvent.click(within(card).getByRole("button", { name: "Send edited reply" }));
    expect(await screen.findByRole("article", { name: "AI suggestion: Edited and sent" })).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/suggestions/sg-1/approve")[0].body).toEqual({ text: expect.stringContaining("Plenty in stock, ships today.") });
    // The thread is asked again, so the sent reply shows.
    await waitFor(() => expect(api.find("GET", "/api/v1/conversations/cv-1/messages").length).toBeGreaterThan(1));
  });

  it("approves the draft as it is with one click", async () => {
    const api = suggestionsApi(() => [suggestion()], { "POST /api/v1/suggestions/sg-1/approve": () => json(suggestion({ status: "approved" })) });
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Approve and send" }));
    await waitFor(() => expect(api.find("POST", "/api/v1/suggestions/sg-1/approve")).toHaveLength(1));
    expect(api.find("POST", "/api/v1/suggestions/sg-1/approve")[0].body).toEqual({});
  });

  it("shows which claims the catalogue refused when an edited reply is not grounded", async () => {
    suggestionsApi(() => [suggestion()], {
      "POST /api/v1/suggestions/sg-1/approve": () => problem(422, "Ungrounded reply", "The reply states things the facts do not support.",
        { failed_claims: [{ claim: "12.00 EUR", kind: "price", reason: "no variant costs 12.00 EUR" }] }),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: /AI suggestion/ });
    await userEvent.click(within(card).getByRole("button", { name: "Edit" }));
    const box = within(card).getByLabelText("Edit the reply");
    await userEvent.clear(box);
    await userEvent.type(box, "Now only 12.00 EUR.");
    await userEvent.click(within(card).getByRole("button", { name: "Review changes" }));
    await userEvent.click(within(card).getByRole("button", { name: "Send edited reply" }));
    const refused = await within(card).findByRole("list", { name: "Claims the catalogue does not support" });
    expect(refused).toHaveTextContent("12.00 EUR: no variant costs 12.00 EUR");
    expect(card.querySelector(".suggestion-review mark.claim-failed")).toHaveTextContent("12.00 EUR");
  });

  it("says who answered when a person replied first, and shows the draft retired instead of approvable", async () => {
    let current = suggestion();
    const detail = "This message was already answered at 06:33 UTC on 06 Dec by Rita Schulz; the draft was not sent.";
    const api = suggestionsApi(() => [current], {
      "POST /api/v1/suggestions/sg-1/approve": () => {
        current = suggestion({ status: "superseded" });
        return problem(409, "This message was already answered", detail, { answered_by: "Rita Schulz", answered_at: "2026-12-06T06:33:00Z" });
      },
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-2", action: "superseded", actor_id: null, actor_email: null, occurred_at: "2026-12-06T06:40:00Z",
          data: { message_id: "m-7", answered_by: "Rita Schulz", answered_at: "2026-12-06T06:33:00Z" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Approve and send" }));
    expect(await screen.findByText(detail)).toBeInTheDocument();
    const card = await screen.findByRole("article", { name: "AI suggestion: Not sent: already answered" });
    expect(card).toHaveTextContent("Not sent: the conversation was answered after this message");
    expect(within(card).queryByRole("button", { name: "Approve and send" })).not.toBeInTheDocument();
    await userEvent.click(within(card).getByRole("button", { name: "Why this decision?" }));
    expect(await within(card).findByText(/Answered by Rita Schulz on/)).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/suggestions/sg-1/approve")).toHaveLength(1);
  });

  it("rejects with a reason, after which the card offers no more decisions", async () => {
    let current = suggestion();
    const api = suggestionsApi(() => [current], { "POST /api/v1/suggestions/sg-1/reject": () => {
      current = suggestion({ status: "rejected", reject_reason: "Wrong size" });
      return json(current);
    } });
    await signIn();
    renderApp("/inbox/cv-1");
    await userEvent.click(await screen.findByRole("button", { name: "Reject" }));
    const form = screen.getByRole("form", { name: "Reject the suggestion" });
    expect(within(form).getByRole("button", { name: "Reject suggestion" })).toBeDisabled();
    await userEvent.type(within(form).getByLabelText("Why is it wrong?"), "Wrong size");
    await userEvent.click(within(form).getByRole("button", { name: "Reject suggestion" }));
    await waitFor(() => expect(api.find("POST", "/api/v1/suggestions/sg-1/reject")[0]?.body).toEqual({ reason: "Wrong size" }));
    expect(await screen.findByText("Rejected: Wrong size")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Reject the suggestion" })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Why is it wrong?")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Reject/ })).not.toBeInTheDocument();
  });

  it("shows an automatically sent reply as such, with its audit trail", async () => {
    suggestionsApi(() => [suggestion({ status: "sent", decision: "auto_send", confidence: 0.95, reasons: [], sent_text: DRAFT })], {
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-1", action: "decided", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:01Z",
          data: { confidence: 0.95, decision: "auto_send", reasons: [], mode: "live", model_version: "local-1", prompt_version: "p1" } },
        { id: "a-2", action: "sent", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:02Z", data: { message_id: "m-2" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: "AI suggestion: Sent automatically" });
    expect(card).toHaveTextContent("nobody had to approve it");
    expect(within(card).queryByRole("button", { name: "Approve and send" })).not.toBeInTheDocument();
    const trail = await within(card).findByRole("list");
    expect(trail).toHaveTextContent("Decided");
    expect(trail).toHaveTextContent("Confidence 95%");
    expect(trail).toHaveTextContent("Decision: Send automatically");
    expect(trail).toHaveTextContent("Sent automatically");
  });

  it("shows a sent reply that never reached the customer, why, and that a person answers now", async () => {
    const reason = "reply failed: bounced: 550 5.1.1 mailbox unavailable";
    suggestionsApi(() => [suggestion({ status: "send_failed", decision: "auto_send", confidence: 0.95, reasons: [reason], sent_text: DRAFT })], {
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-1", action: "decided", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:01Z",
          data: { confidence: 0.95, decision: "auto_send", reasons: [], mode: "live" } },
        { id: "a-2", action: "sent", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:02Z", data: { message_id: "m-2" } },
        { id: "a-3", action: "send_failed", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:03:00Z",
          data: { reason, task_id: "t-1", due_at: "2026-12-05T14:03:00Z", previous_status: "sent" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: "AI suggestion: Sent, but not delivered: a person answers" });
    expect(card).toHaveTextContent("This reply was sent but never reached the customer (bounced: 550 5.1.1 mailbox unavailable)");
    expect(card).toHaveTextContent("it is in the escalation queue");
    expect(card).not.toHaveTextContent("nobody had to approve it");
    expect(within(card).queryByRole("button", { name: "Approve and send" })).not.toBeInTheDocument();
    const trail = await within(card).findByRole("list");
    expect(trail).toHaveTextContent("Reply not delivered");
    expect(trail).toHaveTextContent(`Reason: ${reason}`);
  });

  it("shows in the audit trail that a reply which failed was sent again and delivered, and by whom", async () => {
    const reason = "reply failed: bounced: 550 5.1.1 mailbox unavailable";
    suggestionsApi(() => [suggestion({ status: "sent", decision: "auto_send", confidence: 0.95, reasons: [reason], sent_text: DRAFT })], {
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-1", action: "sent", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:02Z", data: { message_id: "m-2" } },
        { id: "a-2", action: "send_failed", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:03:00Z",
          data: { reason, task_id: "t-1", previous_status: "sent" } },
        { id: "a-3", action: "sent_after_failure", actor_id: "u-rita", actor_email: "rita@shop.example", occurred_at: "2026-12-05T11:00:00Z",
          data: { message_id: "m-2", status: "sent", resent_by: "rita@shop.example", escalation_resolved: true, task_completed: "t-1" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: /AI suggestion/ });
    const trail = await within(card).findByRole("list");
    expect(trail).toHaveTextContent("Delivered after all");
    expect(trail).toHaveTextContent("Sent again by rita@shop.example; escalation resolved");
  });

  it("says on the card and in the audit trail when the confidence was held back near the out-of-scope limit", async () => {
    const parts = { head_probability: 0.61, margin: 0.4, oos_score: 0.28, out_of_scope: false, near_limit: true, language: "en" };
    suggestionsApi(() => [suggestion({ confidence: 0.62, confidence_parts: parts })], {
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-1", action: "decided", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:01Z",
          data: { confidence: 0.62, confidence_parts: parts, decision: "approval", reasons: ["confidence 0.6200 is below the auto-send threshold 0.90"], mode: "live" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: "AI suggestion: Waiting for your approval" });
    expect(card).toHaveTextContent("Confidence: 62%Held back: close to out of scope");
    await userEvent.click(within(card).getByRole("button", { name: "Why this decision?" }));
    const trail = await within(card).findByRole("list");
    expect(within(trail).getByText("Held back: close to out of scope")).toBeInTheDocument();
  });

  it("adds no note when the confidence was not held back", async () => {
    suggestionsApi(() => [suggestion({ confidence_parts: { near_limit: false } })], {
      "GET /api/v1/suggestions/sg-1/audit": () => json([
        { id: "a-1", action: "decided", actor_id: null, actor_email: null, occurred_at: "2026-12-05T10:00:01Z",
          data: { confidence: 0.82, confidence_parts: { near_limit: false }, decision: "approval", reasons: [], mode: "live" } },
      ]),
    });
    await signIn();
    renderApp("/inbox/cv-1");
    const card = await screen.findByRole("article", { name: "AI suggestion: Waiting for your approval" });
    await userEvent.click(within(card).getByRole("button", { name: "Why this decision?" }));
    expect(await within(card).findByRole("list")).toHaveTextContent("Confidence 82%");
    expect(card).not.toHaveTextContent("close to out of scope");
  });

  it("shows a new suggestion as soon as the reply step publishes it", async () => {
    const emit = installFakeEvents();
    let list: Suggestion[] = [];
    suggestionsApi(() => list);
    await signIn();
    renderApp("/inbox/cv-1");
    await screen.findByRole("heading", { name: "Socks in M?" });
    expect(screen.queryByRole("article", { name: /AI suggestion/ })).not.toBeInTheDocument();
    list = [suggestion()];
    emit("reply.suggested", { suggestion_id: "sg-1", conversation_id: "cv-1" });
    expect(await screen.findByRole("article", { name: /Waiting for your approval/ })).toBeInTheDocument();
  });
});
