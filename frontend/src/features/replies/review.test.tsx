import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, ME, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import type { Suggestion } from "./types";

const MANAGER = { ...ME, id: "u-mia", email: "mia@example.com", full_name: "Mia Manager", role: "manager" };
const INTENTS = ["shipping", "order_status", "complaint"].map((name) => ({ name, description: name }));

const suggestion = (id: string, extra: Partial<Suggestion> = {}): Suggestion => ({
  id, message_id: `m-${id}`, conversation_id: `cv-${id}`, intent: "shipping", confirmed_intent: null, confidence: 0.97, confidence_parts: {},
  decision: "auto_send", reasons: [], status: "sent", draft_text: "We ship to Norway in 3 days.\n\nThe shop team",
  sent_text: "We ship to Norway in 3 days.\n\nThe shop team", facts: [], grounding: { ok: true, failed_claims: [] }, provider: "local",
  model_version: "local-1", prompt_version: "p1", sent_message_id: `out-${id}`, reviewed_by_id: null, reviewed_at: null, reject_reason: null,
  created_at: "2026-12-05T10:00:00Z", customer: "Laura Becker", ...extra,
});

function reviewApi(list: (query: URLSearchParams) => Suggestion[], extra: Parameters<typeof installFakeApi>[0] = {}, me = MANAGER) {
  return installFakeApi({
    ...baseRoutes,
    "GET /api/v1/users/me": () => json(me),
    "GET /api/v1/ai/intents": () => json(INTENTS),
    "GET /api/v1/suggestions": ({ query }) => json({ items: list(query), next_cursor: null }),
    ...extra,
  });
}

describe("AI review", () => {
  it("lists automatic replies for a manager with customer, intent, confidence, status and the first line, linked to the conversation", async () => {
    const api = reviewApi(() => [suggestion("a")]);
    await signIn();
    renderApp("/ai-review");
    const link = await screen.findByRole("link", { name: "Laura Becker" });
    expect(link).toHaveAttribute("href", "/inbox/cv-a");
    const row = link.closest("tr")!;
    expect(row).toHaveTextContent("97%");
    expect(row).toHaveTextContent("Sent automatically");
    expect(row).toHaveTextContent("We ship to Norway in 3 days.");
    expect(row).not.toHaveTextContent("The shop team");
    expect(screen.getByRole("link", { name: "AI review" })).toBeInTheDocument();
    // It opens on what went out on its own; the filters ask the server again.
    expect(api.find("GET", "/api/v1/suggestions")[0].query.getAll("decision")).toEqual(["auto_send"]);
    await userEvent.selectOptions(screen.getByLabelText("Decision"), "escalate");
    await userEvent.selectOptions(screen.getByLabelText("Status"), "escalated");
    await waitFor(() => {
      const last = api.find("GET", "/api/v1/suggestions").at(-1)!.query;
      expect([last.getAll("decision"), last.getAll("status")]).toEqual([["escalate"], ["escalated"]]);
    });
    // A day range covers the whole "to" day: until is the next day's start.
    await userEvent.type(screen.getByLabelText("From"), "2026-12-01");
    await userEvent.type(screen.getByLabelText("To"), "2026-12-05");
    await waitFor(() => {
      const last = api.find("GET", "/api/v1/suggestions").at(-1)!.query;
      expect([last.get("since"), last.get("until")]).toEqual(
        [new Date("2026-12-01T00:00").toISOString(), new Date("2026-12-06T00:00").toISOString()]);
    });
  });

  it("marks an automatic reply as wrong with the right intent, and says so", async () => {
    let judged: Partial<Suggestion> = {};
    const api = reviewApi(() => [suggestion("a", judged)], {
      "POST /api/v1/suggestions/:id/verdict": ({ body }) => {
        judged = { reviewed_at: "2026-12-06T08:00:00Z", reviewed_by_id: "u-mia", reject_reason: (body as { reason: string }).reason };
        return json(suggestion("a", judged));
      },
    });
    await signIn();
    renderApp("/ai-review");
    const row = (await screen.findByRole("link", { name: "Laura Becker" })).closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Mark as wrong" }));
    const form = within(row).getByRole("form", { name: "Why it was wrong" });
    await userEvent.type(within(form).getByLabelText(/What was wrong/), "We do not ship to Norway");
    await userEvent.selectOptions(within(form).getByLabelText(/Right intent/), "order_status");
    await userEvent.click(within(form).getByRole("button", { name: "Mark as wrong" }));
    expect(await within(row).findByText("Marked wrong: We do not ship to Norway")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/suggestions/a/verdict")[0].body).toEqual(
      { verdict: "wrong", reason: "We do not ship to Norway", intent: "order_status" });
    expect(within(row).getByRole("button", { name: "Looks right" })).toBeInTheDocument();  // one can change one's mind
  });

  it("shows the server's refusal of a verdict", async () => {
    reviewApi(() => [suggestion("a")], {
      "POST /api/v1/suggestions/:id/verdict": () => problem(409, "This reply was not sent automatically",
        "Only a reply sent automatically can be judged here; a draft a person approved or rejected was judged then."),
    });
    await signIn();
    renderApp("/ai-review");
    const row = (await screen.findByRole("link", { name: "Laura Becker" })).closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Looks right" }));
    expect(await within(row).findByText(/Only a reply sent automatically can be judged/)).toBeInTheDocument();
  });

  it("offers no verdict on a draft a person handled, and no screen to a rep", async () => {
    reviewApi(() => [suggestion("b", { decision: "approval", status: "approved", customer: "Peter Novak" })]);
    await signIn();
    const { unmount } = renderApp("/ai-review");
    const row = (await screen.findByRole("link", { name: "Peter Novak" })).closest("tr")!;
    expect(within(row).queryByRole("button")).toBeNull();
    unmount();
    reviewApi(() => [], {}, ME);
    renderApp("/ai-review");
    expect(await screen.findByText("Managers and admins review the AI's replies here.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "AI review" })).toBeNull();
  });
});
