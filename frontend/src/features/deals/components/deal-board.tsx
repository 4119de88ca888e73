import { useEffect, useState, type DragEvent, type KeyboardEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { describeError } from "@/lib/problem";
import { useLoadMoreCards } from "../api/load-more-cards";
import { useMoveDeal } from "../api/move-deal";
import { findCard, moveCard, stepPlace, type Place } from "../board-moves";
import type { Board, BoardStage, Card } from "../types";
import { StageColumn } from "./stage-column";

interface Props {
  board: Board;
  onOpen: (dealId: string) => void;
}

interface Grab {
  dealId: string;
  origin: Place;
  place: Place;
}

/** Where among a column's cards (the dragged one left out) the pointer is. */
function dropIndex(column: HTMLElement, clientY: number, dragId: string | null): number {
  const cards = [...column.querySelectorAll<HTMLElement>("[data-deal-id]")].filter((el) => el.dataset.dealId !== dragId);
  return cards.filter((el) => {
    const box = el.getBoundingClientRect();
    return box.top + box.height / 2 < clientY;
  }).length;
}

export function DealBoard({ board, onOpen }: Props) {
  const move = useMoveDeal(board.pipeline_id);
  const more = useLoadMoreCards(board.pipeline_id);
  const [grab, setGrab] = useState<Grab | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<Place | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  const open = (dealId: string) => {
    if (!grab) onOpen(dealId);
  };

  const shown = grab ? moveCard(board, grab.dealId, grab.place) : board;
  const stageName = (id: string) => board.stages.find((s) => s.id === id)?.name ?? "";

  // A moved card is rendered in another list: keep keyboard focus on it.
  useEffect(() => {
    if (grab) document.querySelector<HTMLElement>(`[data-deal-id="${grab.dealId}"] [role="button"]`)?.focus();
  }, [grab]);

  const commit = (card: Pick<Card, "id" | "title">, from: Place, target: Place) => {
    if (from.stageId === target.stageId && from.index === target.index) return;
    setFailure(null);
    move.mutate(
      { dealId: card.id, target },
      {
        onSuccess: () => setAnnouncement(`Moved ${card.title} to ${stageName(target.stageId)}.`),
        onError: (error) => setFailure(`We couldn't move “${card.title}”, so it is back where it was. ${describeError(error)}`),
      },
    );
  };

  const onCardKeyDown = (event: KeyboardEvent<HTMLElement>, card: Card) => {
    if (!grab) {
      if (event.key === "Enter") onOpen(card.id);
      if (event.key !== " ") return;
      event.preventDefault();
      const place = findCard(board, card.id);
      if (!place) return;
      const at = { stageId: place.stageId, index: place.index };
      setGrab({ dealId: card.id, origin: at, place: at });
      setAnnouncement(`Picked up ${card.title}. Arrow keys move it, Space drops it, Escape cancels.`);
      return;
    }
    if (grab.dealId !== card.id) return;
    if (event.key === "Escape") {
      event.preventDefault();
      setGrab(null);
      setAnnouncement(`${card.title} is back in ${stageName(grab.origin.stageId)}.`);
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      setGrab(null);
      commit(card, grab.origin, grab.place);
    } else if (event.key.startsWith("Arrow")) {
      event.preventDefault();
      const next = stepPlace(board, card.id, grab.place, event.key);
      if (!next) return;
      setGrab({ ...grab, place: next });
      setAnnouncement(`${stageName(next.stageId)}, position ${next.index + 1}.`);
    }
  };

  const onDragStart = (event: DragEvent<HTMLElement>, card: Card) => {
    event.dataTransfer.setData("text/plain", card.id);
    event.dataTransfer.effectAllowed = "move";
    setDragId(card.id);
  };

  const onDragOver = (event: DragEvent<HTMLElement>, stage: BoardStage) => {
    if (!dragId) return;
    event.preventDefault();
    const index = dropIndex(event.currentTarget, event.clientY, dragId);
    if (dropTarget?.stageId !== stage.id || dropTarget.index !== index) setDropTarget({ stageId: stage.id, index });
  };

  const onDrop = (event: DragEvent<HTMLElement>, stage: BoardStage) => {
    event.preventDefault();
    const from = dragId ? findCard(board, dragId) : null;
    const index = dropIndex(event.currentTarget, event.clientY, dragId);
    setDragId(null);
    setDropTarget(null);
    if (from) commit(from.card, from, { stageId: stage.id, index });
  };

  return (
    <div className="deal-board-wrap">
      <p id="board-instructions" className="visually-hidden">
        Press Enter to open the deal. To move it, press Space, use the arrow keys, then press Space again.
      </p>
      <div className="visually-hidden" aria-live="assertive">{announcement}</div>
      {more.error && <ErrorMessage error={more.error} onRetry={() => more.variables && more.mutate(more.variables)} />}
      {failure && (
        <div className="error-message" role="alert">
          <p>{failure}</p>
          <button type="button" className="button button-ghost" onClick={() => setFailure(null)}>Dismiss</button>
        </div>
      )}
      <div className="deal-board" onDragEnd={() => { setDragId(null); setDropTarget(null); }}>
        {shown.stages.map((stage) => (
          <StageColumn
            key={stage.id}
            stage={stage}
            grabbedId={grab?.dealId ?? null}
            dropTarget={dropTarget?.stageId === stage.id}
            onOpen={open}
            onCardKeyDown={onCardKeyDown}
            onDragStart={onDragStart}
            onDragOver={onDragOver}
            onDrop={onDrop}
            loadingMore={more.isPending && more.variables?.stageId === stage.id}
            onShowMore={(s) => s.next_cursor && more.mutate({ stageId: s.id, cursor: s.next_cursor })}
          />
        ))}
      </div>
    </div>
  );
}
