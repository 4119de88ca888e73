import { describe, expect, it } from "vitest";
import { moveCard, stepPlace } from "./board-moves";
import type { Board, Card } from "./types";

const card = (id: string, amount: string, currency = "EUR"): Card => ({
  id, title: id, amount, currency, status: "open", expected_close_date: null, contact_id: null, contact_name: null,
  company_id: null, company_name: null, owner_id: null, owner_name: null, version: 1,
});

const board: Board = {
  pipeline_id: "p", name: "Sales",
  stages: [
    { id: "new", name: "New", position: 0, probability: 10, kind: "open", count: 2, totals: [{ currency: "EUR", amount: "300.10" }], cards: [card("a", "100.05"), card("b", "200.05")] },
    { id: "won", name: "Won", position: 1, probability: 100, kind: "won", count: 1, totals: [{ currency: "EUR", amount: "50.00" }], cards: [card("c", "50.00")] },
  ],
};

describe("moving a card on the board", () => {
  it("carries its count and amount to the new stage, to the cent", () => {
    const next = moveCard(board, "a", { stageId: "won", index: 0 });
    expect(next.stages[0].cards.map((c) => c.id)).toEqual(["b"]);
    expect(next.stages[0]).toMatchObject({ count: 1, totals: [{ currency: "EUR", amount: "200.05" }] });
    expect(next.stages[1].cards.map((c) => c.id)).toEqual(["a", "c"]);
    expect(next.stages[1]).toMatchObject({ count: 2, totals: [{ currency: "EUR", amount: "150.05" }] });
    expect(next.stages[1].cards[0].status).toBe("won");
    expect(board.stages[0].cards).toHaveLength(2); // the cached board is not mutated
  });

  it("reorders within a stage and keeps totals apart per currency", () => {
    const dollars = moveCard({ ...board, stages: [{ ...board.stages[0], cards: [...board.stages[0].cards, card("d", "10", "USD")], count: 3 }, board.stages[1]] }, "d", { stageId: "won", index: null });
    expect(dollars.stages[1].totals).toEqual([{ currency: "EUR", amount: "50.00" }, { currency: "USD", amount: "10.00" }]);
    expect(moveCard(board, "b", { stageId: "new", index: 0 }).stages[0].cards.map((c) => c.id)).toEqual(["b", "a"]);
  });

  it("steps with arrow keys and stops at the edges", () => {
    expect(stepPlace(board, "a", { stageId: "new", index: 0 }, "ArrowRight")).toEqual({ stageId: "won", index: 0 });
    expect(stepPlace(board, "a", { stageId: "new", index: 0 }, "ArrowLeft")).toBeNull();
    expect(stepPlace(board, "a", { stageId: "new", index: 0 }, "ArrowDown")).toEqual({ stageId: "new", index: 1 });
    expect(stepPlace(board, "a", { stageId: "new", index: 1 }, "ArrowDown")).toBeNull();
  });
});
