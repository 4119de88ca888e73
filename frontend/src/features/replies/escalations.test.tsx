import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Suggestion } from "./types";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const escalated = (id: string, conversationId: string, parts: Suggestion["confidence_parts"] = {}): Suggestion => ({
  id, message_id: `m-${id}`, conversation_id: conversationId, intent: "complaint", confirmed_intent: null, confidence: 0.41, confidence_parts: parts, decision: "escalate",
  reasons: ["confidence 0.41 is below the approval threshold 0.60"], status: "escalated", draft_text: null, sent_text: null, facts: [],
  grounding: { ok: null, failed_claims: [] }, provider: null, model_version: null, prompt_version: null, sent_message_id: null,
  reviewed_by_id: null, reviewed_at: null, reject_reason: null, created_at: hoursFromNow(-3),
});

const conv = (id: string, subject: string, assignee: string | null) => ({
  id, channel_id: "ch-1", contact_id: `c-${id}`, counterpart: `${id}@example.org`, status: "open", assignee_id: assignee, subject, is_junk: false,
  last_message_at: hoursFromNow(-3), last_inbound_at: hoursFromNow(-3), unread_count: 1, snoozed_until: null, intent: "complaint", priority: "high",
  created_at: hoursFromNow(-3), contact: { id: `c-${id}`, first_name: subject.split(" ")[0], last_name: null, emails: [], owner_id: assignee },
});

const task = (id: string, dueAt: string, extra: Record<string, unknown> = {}) => ({
  id, type: "task", subject: "Answer", body: "", due_at: dueAt, done_at: null, assignee_id: "u-rita", owner_id: "u-rita", version: 3,
  contact_id: null, company_id: null, deal_id: null, deleted_at: null, occurred_at: dueAt, created_at: dueAt, updated_at: dueAt, ...extra,
});

const audit = (taskId: string, dueAt: string) => json([{ id: `a-${taskId}`, action: "escalated", actor_id: null, actor_email: null, occurred_at: hoursFromNow(-3), data: { task_id: taskId, due_at: dueAt } }]);

function queueApi(extra: Parameters<typeof installFakeApi>[0] = {}) {
  const overdue = hoursFromNow(-1);
  const later = hoursFromNow(5);
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(MANAGER),
    "GET /api/v1/users/directory": () => json([
      { id: "u-rita", email: "rita@example.com", full_name: "Rita Chen", role: "rep" },
      { id: "u-sam", email: "sam@example.com", full_name: "Sam Rep", role: "rep" },
    ]),
    "GET /api/v1/suggestions": ({ query }) => json({ items: query.get("status") === "escalated" ? [escalated("sg-later", "cv-a"), escalated("sg-late", "cv-b", { near_limit: true }), escalated("sg-done", "cv-c")] : [], next_cursor: null }),
    "GET /api/v1/suggestions/sg-later/audit": () => audit("t-later", later),
    "GET /api/v1/suggestions/sg-late/audit": () => audit("t-late", overdue),
    "GET /api/v1/suggestions/sg-done/audit": () => audit("t-done", overdue),
    "GET /api/v1/activities/t-later": () => json(task("t-later", later)),
    "GET /api/v1/activities/t-late": () => json(task("t-late", overdue)),
    "GET /api/v1/activities/t-done": () => json(task("t-done", overdue, { done_at: hoursFromNow(-0.5) })),
    "GET /api/v1/conversations/cv-a": () => json(conv("cv-a", "Bruno wants a refund", "u-rita")),
    "GET /api/v1/conversations/cv-b": () => json(conv("cv-b", "Cleo got the wrong size", "u-rita")),
    "GET /api/v1/conversations/cv-c": () => json(conv("cv-c", "Dora was answered", "u-rita")),
    ...extra,
  });
}

describe("the escalations queue", () => {
  it("lists what waits, overdue first, with who waits, how long and when it is due; done ones drop out", async () => {
    queueApi();
    await signIn();
    renderApp("/escalations");
    await screen.findByRole("link", { name: "Bruno wants a refund" });
    await waitFor(() => expect(screen.queryByText("Dora was answered")).not.toBeInTheDocument());
    const items = within(screen.getByRole("list", { name: "Escalated conversations" })).getAllByRole("listitem");
    expect(items.map((li) => within(li).getByRole("heading").textContent)).toEqual(["Cleo got the wrong size", "Bruno wants a refund"]);
    expect(items[0]).toHaveTextContent("Overdue");
    expect(items[0]).toHaveTextContent("From Cleo");
    expect(items[0]).toHaveTextContent("Waiting 3 h");
    expect(items[1]).not.toHaveTextContent("Overdue");
    // Cleo's message was near the out-of-scope limit: its confidence was held back, and says so.
    expect(items[0]).toHaveTextContent("Held back: close to out of scope");
    expect(items[1]).not.toHaveTextContent("close to out of scope");
    expect(within(items[0]).getByRole("link")).toHaveAttribute("href", "/inbox/cv-b");
  });

  it("hands the conversation and its task to someone else", async () => {
    const api = queueApi({
      "PATCH /api/v1/conversations/cv-b": () => json(conv("cv-b", "Cleo got the wrong size", "u-sam")),
      "PATCH /api/v1/activities/t-late": () => json(task("t-late", hoursFromNow(-1), { assignee_id: "u-sam", version: 4 })),
    });
    await signIn();
    renderApp("/escalations");
    const cleo = (await screen.findByRole("link", { name: "Cleo got the wrong size" })).closest("li") as HTMLElement;
    await waitFor(() => expect(within(cleo).getByLabelText("Assigned to")).toHaveValue("u-rita"));
    await userEvent.selectOptions(within(cleo).getByLabelText("Assigned to"), "u-sam");
    expect(await within(cleo).findByText("Handed to Sam Rep.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/conversations/cv-b")[0].body).toEqual({ assignee_id: "u-sam" });
    const taskPatch = api.find("PATCH", "/api/v1/activities/t-late")[0];
    expect(taskPatch.body).toEqual({ assignee_id: "u-sam" });
    expect(taskPatch.headers.get("If-Match")).toBe('"3"');
  });

  it("lists a sent reply that never reached the customer with why, its task and due time", async () => {
    const due = hoursFromNow(4);
    const bounced: Suggestion = {
      ...escalated("sg-bounced", "cv-d"), decision: "auto_send", status: "send_failed", sent_text: "Hi Eva, they cost 18 EUR.",
      reasons: ["reply failed: bounced: 550 5.1.1 mailbox unavailable"],
    };
    const api = queueApi({
      "GET /api/v1/suggestions": ({ query }) => json({
        items: [...query.getAll("status")].sort().join() === "escalated,send_failed" ? [bounced] : [], next_cursor: null }),
      "GET /api/v1/suggestions/sg-bounced/audit": () => json([
        { id: "a-1", action: "sent", actor_id: null, actor_email: null, occurred_at: hoursFromNow(-3), data: { message_id: "m-9" } },
        { id: "a-2", action: "send_failed", actor_id: null, actor_email: null, occurred_at: hoursFromNow(-1),
          data: { reason: "reply failed: bounced: 550 5.1.1 mailbox unavailable", task_id: "t-bounced", due_at: due } },
      ]),
      "GET /api/v1/activities/t-bounced": () => json(task("t-bounced", due)),
      "GET /api/v1/conversations/cv-d": () => json(conv("cv-d", "Eva asked about socks", "u-rita")),
    });
    await signIn();
    renderApp("/escalations");
    const eva = (await screen.findByRole("link", { name: "Eva asked about socks" })).closest("li") as HTMLElement;
    expect(eva).toHaveTextContent("Reply not delivered");
    expect(eva).toHaveTextContent("Why: reply failed: bounced: 550 5.1.1 mailbox unavailable");
    await waitFor(() => expect(within(eva).getByText(/^Due/)).toBeInTheDocument());
    expect(api.find("GET", "/api/v1/activities/t-bounced")).toHaveLength(1);  // the task its failure created
  });

  it("says when nothing is escalated", async () => {
    queueApi({ "GET /api/v1/suggestions": () => json({ items: [], next_cursor: null }) });
    await signIn();
    renderApp("/escalations");
    expect(await screen.findByText("Nothing escalated.")).toBeInTheDocument();
  });
});
