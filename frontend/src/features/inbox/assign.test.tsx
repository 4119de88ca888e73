import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Conversation } from "./types";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };
const PEOPLE = [
  { id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" },
  { id: "u-rita", email: ME.email, full_name: "Rita Chen", role: "rep" },
  { id: "u-tom", email: "tom@example.com", full_name: "Tom Berg", role: "rep" },
];

const conversation = (extra: Partial<Conversation> = {}): Conversation => ({
  id: "cv-1", channel_id: "ch-1", contact_id: null, contact: null, counterpart: "ada@example.org", status: "open",
  assignee_id: null, subject: "Socks in size L?", is_junk: false, last_message_at: "2026-12-04T10:00:00Z",
  last_inbound_at: "2026-12-04T10:00:00Z", unread_count: 0, snoozed_until: null, intent: null, priority: null,
  created_at: "2026-12-04T09:00:00Z", ...extra,
});

function inboxApi(me: typeof ME) {
  let current = conversation();
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(me),
    "GET /api/v1/users/directory": () => json(PEOPLE),
    "GET /api/v1/ai/intents": () => json([]),
    "GET /api/v1/pipelines": () => json([]),
    "GET /api/v1/suggestions": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/channels": () => problem(403, "Forbidden"),
    "GET /api/v1/channels/directory": () => json([{ id: "ch-1", kind: "email", name: "Shop mail" }, { id: "ch-2", kind: "whatsapp", name: "WhatsApp" }]),
    "GET /api/v1/conversations": () => json({ items: [current], next_cursor: null }),
    "GET /api/v1/conversations/cv-1": () => json(current),
    "GET /api/v1/conversations/cv-1/messages": () => json({ items: [], next_cursor: null }),
    "PATCH /api/v1/conversations/cv-1": ({ body }) => {
      current = { ...current, ...(body as Partial<Conversation>) };
      return json(current);
    },
  });
}

describe("the channel filter", () => {
  it("is there for a manager too (channel names need no admin), and narrows the list", async () => {
    const api = inboxApi(MANAGER);
    await signIn();
    renderApp("/inbox");
    await screen.findByRole("link", { name: /Socks in size L\?/ });
    await userEvent.click(screen.getByText("More filters"));
    await userEvent.selectOptions(await screen.findByLabelText("Channel"), "ch-2");
    await waitFor(() => expect(api.find("GET", "/api/v1/conversations").at(-1)!.query.get("channel_id")).toBe("ch-2"));
    expect(api.find("GET", "/api/v1/channels")).toHaveLength(0);
  });
});

describe("handing a conversation to someone", () => {
  it("lets a manager assign it to any active colleague from the conversation", async () => {
    const api = inboxApi(MANAGER);
    await signIn();
    renderApp("/inbox/cv-1");
    const actions = await screen.findByRole("region", { name: "Conversation actions" });
    const picker = await within(actions).findByLabelText("Assign to");
    expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(
      ["Pick a person…", "Mia Manager (you)", "Rita Chen", "Tom Berg"]);
    await userEvent.selectOptions(picker, "u-tom");
    expect(await screen.findByText("Assigned to Tom Berg.")).toBeInTheDocument();
    expect(screen.getByText(/· Assigned to Tom Berg$/)).toBeInTheDocument();
    expect(api.find("PATCH", "/api/v1/conversations/cv-1").map((c) => c.body)).toContainEqual({ assignee_id: "u-tom" });
  });

  it("offers a rep no picker: they take it themselves", async () => {
    inboxApi(ME);
    await signIn();
    renderApp("/inbox/cv-1");
    const actions = await screen.findByRole("region", { name: "Conversation actions" });
    expect(within(actions).getByRole("button", { name: "Assign to me" })).toBeInTheDocument();
    expect(within(actions).queryByLabelText("Assign to")).not.toBeInTheDocument();
  });

  it("filters the list to one person's conversations, kept in the URL", async () => {
    const api = inboxApi(MANAGER);
    await signIn();
    const { router } = renderApp("/inbox");
    await screen.findByRole("link", { name: /Socks in size L\?/ });
    await userEvent.click(screen.getByText("More filters"));
    await userEvent.selectOptions(await screen.findByLabelText("Assigned to"), "u-tom");
    const last = () => api.find("GET", "/api/v1/conversations").at(-1)!;
    await waitFor(() => expect(last().query.get("assignee_id")).toBe("u-tom"));
    expect(router.state.location.search).toContain("assignee_id=u-tom");
    await userEvent.click(screen.getByRole("button", { name: "Mine" }));
    await waitFor(() => expect(last().query.get("assignee_id")).toBe("me"));
    expect(screen.getByLabelText("Assigned to")).toHaveValue("");
  });
});
