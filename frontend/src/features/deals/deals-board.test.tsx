import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { closeDateOverdue } from "./close-date";
import type { Board, Card, Deal } from "./types";

const stages = [
  { id: "s-new", name: "New", position: 0, probability: 10, kind: "open" as const },
  { id: "s-qual", name: "Qualified", position: 1, probability: 30, kind: "open" as const },
  { id: "s-won", name: "Won", position: 2, probability: 100, kind: "won" as const },
  { id: "s-lost", name: "Lost", position: 3, probability: 0, kind: "lost" as const },
];
const pipeline = { id: "p-1", name: "Sales", is_default: true, position: 0, stages };

const card = (id: string, title: string, amount: string): Card => ({
  id, title, amount, currency: "EUR", status: "open", expected_close_date: null, contact_id: null, contact_name: "Ada Lovelace",
  company_id: null, company_name: null, owner_id: "u-rita", owner_name: "Rita Chen", version: 3,
});

function makeBoard(): Board {
  return {
    pipeline_id: "p-1", name: "Sales",
    stages: [
      { ...stages[0], count: 2, totals: [{ currency: "EUR", amount: "1500.00" }], cards: [card("d-1", "Spring order", "1000.00"), card("d-2", "Refill", "500.00")], next_cursor: null },
      { ...stages[1], count: 0, totals: [], cards: [], next_cursor: null },
      { ...stages[2], count: 0, totals: [], cards: [], next_cursor: null },
      { ...stages[3], count: 0, totals: [], cards: [], next_cursor: null },
    ],
  };
}

const column = (name: string) => screen.getByRole("region", { name });

function boardApi(moveReply: () => ReturnType<typeof json>) {
  let board = makeBoard();
  const api = installFakeApi({
    ...baseRoutes,
    "GET /api/v1/pipelines": () => json([pipeline]),
    "GET /api/v1/pipelines/p-1/board": () => json(board),
    "POST /api/v1/deals/:id/move": (call) => {
      const reply = moveReply();
      if ((reply.status ?? 200) === 200) {
        // The server now has the card in its new stage: later board reads say so.
        const { stage_id } = call.body as { stage_id: string };
        const moved = board.stages[0].cards[0];
        board = { ...board, stages: board.stages.map((s) => s.id === "s-new" ? { ...s, cards: s.cards.slice(1), count: 1, totals: [{ currency: "EUR", amount: "500.00" }] } : s.id === stage_id ? { ...s, cards: [moved], count: 1, totals: [{ currency: "EUR", amount: "1000.00" }] } : s) };
      }
      return reply;
    },
  });
  return api;
}

describe("the deals board", () => {
  it("shows each stage with its cards, count and total", async () => {
    boardApi(() => json({}));
    await signIn();
    renderApp("/deals");
    const first = await screen.findByRole("region", { name: "New" });
    expect(within(first).getByRole("button", { name: /Spring order/ })).toBeInTheDocument();
    expect(within(first).getByTestId("stage-total")).toHaveTextContent("€1,500");
    expect(within(first).getByLabelText("2 deals")).toBeInTheDocument();
    expect(within(column("Qualified")).getByText("No deals here")).toBeInTheDocument();
  });

  it("moves a card with the keyboard: Space, Right arrow, Space", async () => {
    const api = boardApi(() => json({}));
    await signIn();
    renderApp("/deals");
    const cardButton = await within(await screen.findByRole("region", { name: "New" })).findByRole("button", { name: /Spring order/ });
    cardButton.focus();
    const user = userEvent.setup();
    await user.keyboard(" ");
    await user.keyboard("{ArrowRight}");
    // While carried, the card already shows in the next stage, and keeps focus.
    expect(within(column("Qualified")).getByRole("button", { name: /Spring order/ })).toHaveFocus();
    await user.keyboard(" ");

    await waitFor(() => expect(api.find("POST", "/api/v1/deals/d-1/move")).toHaveLength(1));
    const move = api.find("POST", "/api/v1/deals/d-1/move")[0];
    expect(move.body).toEqual({ stage_id: "s-qual", position: 0 });
    expect(move.headers.get("If-Match")).toBe('"3"');
    expect(await screen.findByText("Moved Spring order to Qualified.")).toBeInTheDocument();
    expect(within(column("Qualified")).getByTestId("stage-total")).toHaveTextContent("€1,000");
    expect(within(column("New")).getByTestId("stage-total")).toHaveTextContent("€500");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument(); // Space did not open the deal
  });

  it("puts the card back and says why when the server refuses the move", async () => {
    boardApi(() => problem(412, "Precondition failed"));
    await signIn();
    renderApp("/deals");
    const newColumn = await screen.findByRole("region", { name: "New" });
    const cardButton = await within(newColumn).findByRole("button", { name: /Spring order/ });
    const target = column("Qualified");

    fireEvent.dragStart(cardButton, { dataTransfer: { setData: () => {}, effectAllowed: "" } });
    fireEvent.dragOver(target, { clientY: 10 });
    fireEvent.drop(target, { clientY: 10 });

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't move “Spring order”, so it is back where it was.");
    expect(alert).toHaveTextContent("Someone else changed this record");
    await waitFor(() => expect(within(column("New")).getByRole("button", { name: /Spring order/ })).toBeInTheDocument());
    expect(within(column("Qualified")).queryByRole("button", { name: /Spring order/ })).not.toBeInTheDocument();
  });

  it("shows more cards of a long stage from its cursor", async () => {
    const board = makeBoard();
    board.stages[0] = { ...board.stages[0], count: 3, next_cursor: "after-d-2" };
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/pipelines": () => json([pipeline]),
      "GET /api/v1/pipelines/p-1/board": () => json(board),
      "GET /api/v1/pipelines/p-1/board/stages/s-new": () =>
        json({ ...board.stages[0], cards: [card("d-3", "Grinder swap", "250.00")], next_cursor: null }),
    });
    await signIn();
    renderApp("/deals");
    const first = await screen.findByRole("region", { name: "New" });
    expect(within(first).getByText("Showing 2 of 3")).toBeInTheDocument();
    await userEvent.click(within(first).getByRole("button", { name: "Show more in New" }));
    expect(await within(first).findByRole("button", { name: /Grinder swap/ })).toBeInTheDocument();
    expect(within(first).queryByText("Showing 2 of 3")).not.toBeInTheDocument();
    expect(api.find("GET", "/api/v1/pipelines/p-1/board/stages/s-new")[0].query.get("cursor")).toBe("after-d-2");
  });

  it("opens a deal in a drawer, edits its amount and marks it lost with a reason", async () => {
    let deal: Deal = {
      id: "d-1", title: "Spring order", contact_id: null, company_id: null, pipeline_id: "p-1", stage_id: "s-new",
      amount: "1000.00", amount_from_line_items: false, currency: "EUR", expected_close_date: null, owner_id: "u-rita", status: "open", lost_reason: null,
      closed_at: null, stage_changed_at: "2026-11-20T10:00:00Z", custom_fields: {}, version: 3, deleted_at: null,
      created_at: "2026-11-20T10:00:00Z", updated_at: "2026-11-20T10:00:00Z",
    };
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/pipelines": () => json([pipeline]),
      "GET /api/v1/pipelines/p-1/board": () => json(makeBoard()),
      "GET /api/v1/deals/d-1": () => json(deal),
      "GET /api/v1/deals/d-1/timeline": () => json({ items: [], next_cursor: null }),
      "PATCH /api/v1/deals/d-1": ({ body }) => json((deal = { ...deal, ...(body as object), version: deal.version + 1 })),
      "POST /api/v1/deals/d-1/lost": ({ body }) =>
        json((deal = { ...deal, status: "lost", stage_id: "s-lost", lost_reason: (body as { reason: string }).reason, version: deal.version + 1 })),
    });
    await signIn();
    renderApp("/deals");
    await userEvent.click(await within(await screen.findByRole("region", { name: "New" })).findByRole("button", { name: /Spring order/ }));
    const drawer = await screen.findByRole("dialog", { name: "Spring order" });

    await userEvent.click(await within(drawer).findByRole("button", { name: "Edit deal" }));
    await userEvent.clear(within(drawer).getByLabelText("Amount"));
    await userEvent.type(within(drawer).getByLabelText("Amount"), "1250.50");
    await userEvent.click(within(drawer).getByRole("button", { name: "Save" }));
    expect(await within(drawer).findByText("€1,251")).toBeInTheDocument();
    const patch = api.find("PATCH", "/api/v1/deals/d-1")[0];
    expect(patch.headers.get("If-Match")).toBe('"3"');
    expect(patch.body).toMatchObject({ amount: "1250.50" });

    await userEvent.click(within(drawer).getByRole("button", { name: "Mark as lost" }));
    await userEvent.type(within(drawer).getByLabelText("Why was it lost?"), "Went with a cheaper roaster");
    await userEvent.click(within(drawer).getByRole("button", { name: "Confirm lost" }));
    expect(await within(drawer).findByText("Went with a cheaper roaster")).toBeInTheDocument();
    expect(api.find("POST", "/api/v1/deals/d-1/lost")[0].headers.get("If-Match")).toBe('"4"');
  });

  it("flags an open deal whose close date has passed, in words, on its card and in its drawer", async () => {
    const slipped = { ...card("d-1", "Spring order", "1000.00"), expected_close_date: "2026-11-17" };
    const ahead = { ...card("d-2", "Refill", "500.00"), expected_close_date: "2999-01-10" };
    const board = makeBoard();
    board.stages[0].cards = [slipped, ahead];
    const deal: Deal = {
      id: "d-1", title: "Spring order", contact_id: "c-ada", company_id: "co-hidden", pipeline_id: "p-1", stage_id: "s-new",
      amount: "1000.00", amount_from_line_items: false, currency: "EUR", expected_close_date: "2026-11-17", owner_id: "u-rita", status: "open",
      lost_reason: null, closed_at: null, stage_changed_at: "2026-11-01T10:00:00Z", custom_fields: {}, version: 3, deleted_at: null,
      created_at: "2026-11-01T10:00:00Z", updated_at: "2026-11-01T10:00:00Z",
    };
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/pipelines": () => json([pipeline]),
      "GET /api/v1/pipelines/p-1/board": () => json(board),
      "GET /api/v1/deals/d-1": () => json(deal),
      "GET /api/v1/deals/d-1/timeline": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/contacts/c-ada": () => json({ id: "c-ada", first_name: "Ada", last_name: "Lovelace" }),
      "GET /api/v1/companies/co-hidden": () => problem(404, "Not found"),
    });
    await signIn();
    renderApp("/deals");
    const first = await screen.findByRole("region", { name: "New" });
    const late = await within(first).findByRole("button", { name: /Spring order/ });
    expect(late).toHaveTextContent("Overdue: was to close 17 Nov 2026");
    expect(within(first).getByRole("button", { name: /Refill/ })).not.toHaveTextContent("Overdue");
    await userEvent.click(late);
    const drawer = await screen.findByRole("dialog", { name: "Spring order" });
    expect(await within(drawer).findByText("Overdue: the close date has passed")).toBeInTheDocument();
    // The contact is named; a company the viewer may not read keeps the plain link.
    expect(await within(drawer).findByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", "/contacts/c-ada");
    expect(within(drawer).getByRole("link", { name: "Open company" })).toHaveAttribute("href", "/companies/co-hidden");
  });

  it("never calls a won or lost deal, or one closing today, overdue", () => {
    const today = new Date(2026, 11, 6, 23, 30);
    expect(closeDateOverdue({ status: "open", expected_close_date: "2026-12-05" }, today)).toBe(true);
    expect(closeDateOverdue({ status: "open", expected_close_date: "2026-12-06" }, today)).toBe(false);
    expect(closeDateOverdue({ status: "won", expected_close_date: "2026-11-01" }, today)).toBe(false);
    expect(closeDateOverdue({ status: "open", expected_close_date: null }, today)).toBe(false);
  });
});
