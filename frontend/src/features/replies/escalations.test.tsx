import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { EscalationRow } from "./api/list-escalations";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };
const RITA = { ...ME, id: "u-rita", email: "rita@example.com", full_name: "Rita Chen", role: "rep" };
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const row = (id: string, subject: string, dueAt: string, extra: Partial<EscalationRow> = {}): EscalationRow => ({
  conversation_id: `cv-${id}`, subject, customer: subject.split(" ")[0], assignee_id: "u-rita", escalation_id: `e-${id}`,
  suggestion_id: `sg-${id}`, status: "escalated", intent: "complaint", confidence: 0.41, near_limit: null,
  reasons: ["confidence 0.41 is below the approval threshold 0.60"], asked_at: hoursFromNow(-3), priority: "high", due_at: dueAt,
  reroutes: 0, task_id: `t-${id}`, task_version: 3, open_escalations: 1, ...extra,
});

function queueApi(extra: Parameters<typeof installFakeApi>[0] = {}, me = MANAGER) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(me),
    "GET /api/v1/users/directory": () => json([
      { id: "u-rita", email: "rita@example.com", full_name: "Rita Chen", role: "rep" },
      { id: "u-sam", email: "sam@example.com", full_name: "Sam Rep", role: "rep" },
    ]),
    "GET /api/v1/escalations": () => json({ truncated: false, items: [
      row("b", "Cleo got the wrong size", hoursFromNow(-1), { near_limit: true, open_escalations: 2 }),
      row("a", "Bruno wants a refund", hoursFromNow(5)),
    ] }),
    ...extra,
  });
}

describe("the escalations queue", () => {
  it("lists one row per conversation in one request, overdue first, with who waits, how long and when it is due", async () => {
    const api = queueApi();
    await signIn();
    renderApp("/escalations");
    await screen.findByRole("link", { name: "Bruno wants a refund" });
    const items = within(screen.getByRole("list", { name: "Escalated conversations" })).getAllByRole("listitem");
    expect(items.map((li) => within(li).getByRole("heading").textContent)).toEqual(["Cleo got the wrong size", "Bruno wants a refund"]);
    expect(items[0]).toHaveTextContent("Overdue");
    expect(items[0]).toHaveTextContent("From Cleo");
    expect(items[0]).toHaveTextContent("Waiting 3 h");
    expect(items[0]).toHaveTextContent("2 messages waiting");  // Cleo wrote twice: one row, with the count
    expect(items[1]).not.toHaveTextContent("Overdue");
    expect(items[1]).not.toHaveTextContent("messages waiting");
    // Cleo's message was near the out-of-scope limit: its confidence was held back, and says so.
    expect(items[0]).toHaveTextContent("Held back: close to out of scope");
    expect(items[1]).not.toHaveTextContent("close to out of scope");
    expect(within(items[0]).getByRole("link")).toHaveAttribute("href", "/inbox/cv-b");
    // Everything a row shows came with the list: no request per row.
    expect(api.find("GET", "/api/v1/activities/t-b")).toHaveLength(0);
    expect(api.find("GET", "/api/v1/conversations/cv-b")).toHaveLength(0);
  });

  it("hands the conversation and its task to someone else", async () => {
    const api = queueApi({
      "PATCH /api/v1/conversations/cv-b": () => json({ id: "cv-b", assignee_id: "u-sam" }),
      "PATCH /api/v1/activities/t-b": () => json({ id: "t-b", assignee_id: "u-sam", version: 4 }),
    });
    await signIn();
    renderApp("/escalations");
    const cleo = (await screen.findByRole("link", { name: "Cleo got the wrong size" })).closest("li") as HTMLElement;
    expect(within(cleo).getByLabelText("Assigned to")).toHaveValue("u-rita");
    await userEvent.selectOptions(within(cleo).getByLabelText("Assigned to"), "u-sam");
    expect(await within(cleo).findByText("Handed to Sam Rep.")).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/conversations/cv-b")[0].body).toEqual({ assignee_id: "u-sam" });
    const taskPatch = api.find("PATCH", "/api/v1/activities/t-b")[0];
    expect(taskPatch.body).toEqual({ assignee_id: "u-sam" });
    expect(taskPatch.headers.get("If-Match")).toBe('"3"');
  });

  it("offers a rep only themselves to hand a row to (they may take it, not give it away)", async () => {
    queueApi({}, RITA);
    await signIn();
    renderApp("/escalations");
    const cleo = (await screen.findByRole("link", { name: "Cleo got the wrong size" })).closest("li") as HTMLElement;
    const options = within(within(cleo).getByLabelText("Assigned to")).getAllByRole("option").map((o) => o.textContent);
    expect(options).toEqual(["Rita Chen"]);
  });

  it("lists a sent reply that never reached the customer with why", async () => {
    queueApi({
      "GET /api/v1/escalations": () => json({ truncated: false, items: [row("d", "Eva asked about socks", hoursFromNow(4), {
        status: "send_failed", reasons: ["reply failed: bounced: 550 5.1.1 mailbox unavailable"] })] }),
    });
    await signIn();
    renderApp("/escalations");
    const eva = (await screen.findByRole("link", { name: "Eva asked about socks" })).closest("li") as HTMLElement;
    expect(eva).toHaveTextContent("Reply not delivered");
    expect(eva).toHaveTextContent("Why: reply failed: bounced: 550 5.1.1 mailbox unavailable");
    expect(within(eva).getByText(/^Due/)).toBeInTheDocument();
  });

  it("says when nothing is escalated", async () => {
    queueApi({ "GET /api/v1/escalations": () => json({ items: [], truncated: false }) });
    await signIn();
    renderApp("/escalations");
    expect(await screen.findByText("Nothing escalated.")).toBeInTheDocument();
  });
});
