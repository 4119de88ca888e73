import type { Board, BoardStage, Card } from "./types";

/** Where a card sits on the board: its stage and 0-based index there (null: at the end). */
export interface Place {
  stageId: string;
  index: number;
}

export interface Target {
  stageId: string;
  index: number | null;
}

export function findCard(board: Board, dealId: string): (Place & { card: Card }) | null {
  for (const stage of board.stages) {
    const index = stage.cards.findIndex((c) => c.id === dealId);
    if (index >= 0) return { stageId: stage.id, index, card: stage.cards[index] };
  }
  return null;
}

// Decimal strings to cents, so totals add up exactly (amounts stay far below 2^53 cents).
const toCents = (amount: string | number) => Math.round(Number(amount) * 100);
const fromCents = (cents: number) => (cents / 100).toFixed(2);

function adjustTotals(stage: BoardStage, card: Card, sign: 1 | -1): BoardStage["totals"] {
  const totals = stage.totals.map((t) => ({ ...t }));
  let entry = totals.find((t) => t.currency === card.currency);
  if (!entry) {
    entry = { currency: card.currency, amount: "0.00" };
    totals.push(entry);
  }
  entry.amount = fromCents(toCents(entry.amount) + sign * toCents(card.amount));
  return totals.filter((t) => toCents(t.amount) !== 0 || t === entry);
}

/**
 * The board after moving `dealId` to `target` (index counted without the card itself, as the
 * API's `position` is). Counts and totals follow the card; the input is left untouched.
 */
export function moveCard(board: Board, dealId: string, target: Target): Board {
  const found = findCard(board, dealId);
  if (!found) return board;
  const { card, stageId: fromId } = found;
  const moved: Card = { ...card, status: statusOf(board, target.stageId) ?? card.status };
  return {
    ...board,
    stages: board.stages.map((stage) => {
      let cards = stage.cards;
      let next: BoardStage = stage;
      if (stage.id === fromId) {
        cards = cards.filter((c) => c.id !== dealId);
        next = { ...next, cards, count: stage.count - 1, totals: adjustTotals(stage, card, -1) };
      }
      if (stage.id === target.stageId) {
        const index = target.index === null ? cards.length : Math.max(0, Math.min(target.index, cards.length));
        cards = [...cards.slice(0, index), moved, ...cards.slice(index)];
        next = { ...next, cards, count: next.count + 1, totals: adjustTotals(next, card, 1) };
      }
      return next;
    }),
  };
}

function statusOf(board: Board, stageId: string): Card["status"] | null {
  const kind = board.stages.find((s) => s.id === stageId)?.kind;
  return kind === "won" || kind === "lost" || kind === "open" ? kind : null;
}

/** The place one keyboard step away: left/right to a neighbouring stage, up/down within one. */
export function stepPlace(board: Board, dealId: string, from: Place, key: string): Place | null {
  const stageIndex = board.stages.findIndex((s) => s.id === from.stageId);
  const without = (s: BoardStage) => s.cards.filter((c) => c.id !== dealId).length;
  if (key === "ArrowLeft" || key === "ArrowRight") {
    const next = board.stages[stageIndex + (key === "ArrowLeft" ? -1 : 1)];
    return next ? { stageId: next.id, index: Math.min(from.index, without(next)) } : null;
  }
  if (key === "ArrowUp") return from.index > 0 ? { ...from, index: from.index - 1 } : null;
  if (key === "ArrowDown") {
    const stage = board.stages[stageIndex];
    return from.index < without(stage) ? { ...from, index: from.index + 1 } : null;
  }
  return null;
}
