import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { defaultTaskDue } from "./components/activity-composer";
import type { Activity } from "./types";

const task = (id: string, subject: string, due: string, extra: Partial<Activity> = {}): Activity => ({
  id, type: "task", subject, body: "", occurred_at: due, due_at: due, done_at: null, assignee_id: "u-rita", owner_id: "u-rita",
  contact_id: "c-1", company_id: null, deal_id: null, version: 2, deleted_at: null,
  created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", ...extra,
});

const contactRoutes = {
  "GET /api/v1/contacts/c-1": () => json({
    id: "c-1", first_name: "Ada", last_name: "Lovelace", title: null, emails: [], phones: [], company_id: null, owner_id: "u-rita",
    lifecycle_stage: "lead", tags: [], source: null, whatsapp_id: null, messenger_psid: null, last_contacted_at: null,
    custom_fields: {}, version: 1, created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z", deleted_at: null,
  }),
  "GET /api/v1/deals": () => json({ items: [], next_cursor: null }),
  "GET /api/v1/pipelines": () => json([]),
  "GET /api/v1/activities": () => json({ items: [], next_cursor: null }),
};

describe("logging activity on a contact", () => {
  it("logs a call that then shows on the timeline", async () => {
    const logged: Activity[] = [];
    const api = installFakeApi({
      ...baseRoutes, ...contactRoutes,
      "GET /api/v1/contacts/c-1/timeline": () => json({ items: logged.map((a) => ({ kind: "activity", id: a.id, at: a.occurred_at, data: a })), next_cursor: null }),
      "POST /api/v1/activities": ({ body }) => {
        const created = task("a-1", (body as Activity).subject, "2026-11-27T10:00:00Z", { ...(body as Partial<Activity>), due_at: null });
        logged.push(created);
        return json(created, 201);
      },
    });
    await signIn();
    renderApp("/contacts/c-1");
    expect(await screen.findByText("Nothing has happened here yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Log a call" }));
    await userEvent.type(screen.getByLabelText("Call summary"), "Talked about the spring order");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Call logged.")).toBeInTheDocument();
    const timeline = screen.getByRole("region", { name: "Timeline" });
    expect(await within(timeline).findByText("Talked about the spring order")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/activities")[0].body).toMatchObject({ type: "call", contact_id: "c-1" });
  });

  it("offers tomorrow at 9:00 as a new task's due time, and asks for one if it is cleared", async () => {
    const api = installFakeApi({
      ...baseRoutes, ...contactRoutes, "GET /api/v1/contacts/c-1/timeline": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/activities": ({ body }) => json(task("a-2", (body as Activity).subject, (body as Activity).due_at ?? ""), 201),
    });
    await signIn();
    renderApp("/contacts/c-1");
    await userEvent.click(await screen.findByRole("button", { name: "Add a task" }));
    expect(screen.getByLabelText("Due")).toHaveValue(defaultTaskDue(new Date()));
    await userEvent.type(screen.getByLabelText("What needs doing"), "Send the quote");
    await userEvent.clear(screen.getByLabelText("Due"));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Pick when it is due.")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/activities")).toHaveLength(0);

    fireEvent.change(screen.getByLabelText("Due"), { target: { value: defaultTaskDue(new Date()) } });
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Task added.")).toBeInTheDocument();
    const due = new Date(String((api.find("POST", "/api/v1/activities")[0].body as Activity).due_at));
    expect([due.getHours(), due.getMinutes(), due.getTime() > Date.now()]).toEqual([9, 0, true]);
  });

  it("dates the default due time tomorrow, also across a month's end", () => {
    expect(defaultTaskDue(new Date(2026, 11, 31, 18, 0))).toBe("2027-01-01T09:00");
  });
});

describe("a contact's open tasks", () => {
  it("lists them on the contact page and completes one there", async () => {
    let open = [task("t-7", "Book the demo", "2026-11-28T09:00:00Z")];
    const api = installFakeApi({
      ...baseRoutes, ...contactRoutes,
      "GET /api/v1/contacts/c-1/timeline": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/activities": () => json({ items: open, next_cursor: null }),
      "PATCH /api/v1/activities/t-7": () => {
        open = [];
        return json(task("t-7", "Book the demo", "2026-11-28T09:00:00Z", { done_at: "2026-11-27T12:00:00Z", version: 3 }));
      },
    });
    await signIn();
    renderApp("/contacts/c-1");
    const tasks = await screen.findByRole("region", { name: /Open tasks/ });
    expect(await within(tasks).findByText("Book the demo")).toBeInTheDocument();
    const query = api.find("GET", "/api/v1/activities")[0].query;
    expect([query.get("contact_id"), query.get("type"), query.get("done")]).toEqual(["c-1", "task", "false"]);
    await userEvent.click(within(tasks).getByRole("button", { name: "Complete “Book the demo”" }));
    expect(await within(tasks).findByText("No open tasks.")).toBeInTheDocument();
  });
});

describe("messages on a contact's timeline", () => {
  it("say what was written and open their conversation", async () => {
    const msg = (id: string, direction: string, subject: string, text: string, at: string) => ({
      kind: "message", id, at, data: { id, conversation_id: "cv-1", direction, subject, text, own_words: text } });
    installFakeApi({
      ...baseRoutes, ...contactRoutes,
      "GET /api/v1/contacts/c-1/timeline": () => json({ items: [
        msg("m-2", "outbound", "", "Hello Ada,\nthe jacket ships today.", "2026-12-06T07:00:00Z"),
        msg("m-1", "inbound", "URGENT: wrong item", "I got the wrong jacket.", "2026-12-06T06:28:00Z"),
        { kind: "activity", id: "t-9", at: "2026-12-06T06:29:00Z",
          data: task("t-9", "Answer: URGENT: wrong item", "2026-12-06T10:00:00Z", { conversation_id: "cv-1" }) },
      ], next_cursor: null }),
    });
    await signIn();
    renderApp("/contacts/c-1");
    const timeline = await screen.findByRole("region", { name: "Timeline" });
    const link = await within(timeline).findByRole("link", { name: "URGENT: wrong item" });
    expect(link).toHaveAttribute("href", "/inbox/cv-1");
    expect(within(timeline).getByRole("link", { name: "Hello Ada," })).toHaveAttribute("href", "/inbox/cv-1");
    expect(within(timeline).getByText("Reply")).toBeInTheDocument();
    expect(within(timeline).getByRole("link", { name: /^Answer: URGENT: wrong item/ })).toHaveAttribute("href", "/inbox/cv-1");
  });
});

describe("deal moves on a contact's timeline", () => {
  it("say which deal moved and open it", async () => {
    installFakeApi({
      ...baseRoutes, ...contactRoutes,
      "GET /api/v1/pipelines": () => json([{ id: "p-1", name: "Sales", is_default: true, position: 0, stages: [
        { id: "s-prop", name: "Proposal", position: 0, probability: 50, kind: "open" },
        { id: "s-neg", name: "Negotiation", position: 1, probability: 70, kind: "open" }] }]),
      "GET /api/v1/contacts/c-1/timeline": () => json({ items: [{ kind: "stage_change", id: "sc-1", at: "2026-12-06T07:00:00Z", data: {
        id: "sc-1", deal_id: "d-7", from_stage_id: "s-prop", to_stage_id: "s-neg", from_status: "open", to_status: "open",
        changed_by_id: "u-rita", changed_at: "2026-12-06T07:00:00Z", deal_title: "Fleet order" } }], next_cursor: null }),
    });
    await signIn();
    renderApp("/contacts/c-1");
    const timeline = await screen.findByRole("region", { name: "Timeline" });
    const moved = await within(timeline).findByRole("link", { name: "Fleet order: moved from Proposal to Negotiation" });
    expect(moved).toHaveAttribute("href", "/deals/d-7");
  });
});

describe("my tasks", () => {
  it("groups overdue, today and upcoming, and completes one with a click", async () => {
    let tasks = { overdue: [task("t-1", "Call back Ada", "2026-11-25T09:00:00Z")], today: [task("t-2", "Send the quote", "2026-11-27T15:00:00Z")], upcoming: [] as Activity[] };
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": () => json(tasks),
      "PATCH /api/v1/activities/t-1": () => {
        tasks = { ...tasks, overdue: [] };
        return json(task("t-1", "Call back Ada", "2026-11-25T09:00:00Z", { done_at: "2026-11-27T12:00:00Z", version: 3 }));
      },
    });
    await signIn();
    renderApp("/tasks");
    const overdue = await screen.findByRole("region", { name: /Overdue/ });
    expect(within(overdue).getByText("Call back Ada")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: /Today/ })).getByText("Send the quote")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: /Upcoming/ })).getByText("Nothing coming up.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Complete “Call back Ada”" }));
    expect(await screen.findByText("Completed “Call back Ada”.")).toBeInTheDocument();
    expect(screen.queryByText("Call back Ada")).not.toBeInTheDocument();
    const patch = api.find("PATCH", "/api/v1/activities/t-1")[0];
    expect(patch.headers.get("If-Match")).toBe('"2"');
    expect((patch.body as { done_at: string }).done_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(api.find("GET", "/api/v1/activities/mine")[0].query.get("tz")).toBeTruthy();
  });

  it("brings a task back and explains when completing it fails", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": () => json({ overdue: [], today: [task("t-2", "Send the quote", "2026-11-27T15:00:00Z")], upcoming: [] }),
      "PATCH /api/v1/activities/t-2": () => problem(503, "Service unavailable"),
    });
    await signIn();
    renderApp("/tasks");
    await userEvent.click(await screen.findByRole("button", { name: "Complete “Send the quote”" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong on our side.");
    await waitFor(() => expect(screen.getByText("Send the quote")).toBeInTheDocument());
  });

  it("opens the conversation of an escalation's task, and the contact of an ordinary one", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/activities/mine": () => json({ overdue: [], upcoming: [], today: [
        task("t-3", "Answer: URGENT: wrong item", "2026-11-27T15:00:00Z", { conversation_id: "cv-7" }),
        task("t-4", "Call back Ada", "2026-11-27T16:00:00Z"),
      ] }),
    });
    await signIn();
    renderApp("/tasks");
    const today = await screen.findByRole("region", { name: /Today/ });
    const links = within(today).getAllByRole("link");
    expect(links.map((l) => [l.textContent, l.getAttribute("href")])).toEqual([
      ["Open conversation", "/inbox/cv-7"], ["Open contact", "/contacts/c-1"]]);
  });

  it("shows a calm empty state", async () => {
    installFakeApi({ ...baseRoutes, "GET /api/v1/activities/mine": () => json({ overdue: [], today: [], upcoming: [] }) });
    await signIn();
    renderApp("/tasks");
    expect(await screen.findByText("You're all caught up.")).toBeInTheDocument();
  });
});
