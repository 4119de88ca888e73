import type { DragEvent, KeyboardEvent } from "react";
import { formatMoney } from "@/lib/format";
import type { BoardStage, Card } from "../types";
import { DealCard } from "./deal-card";

interface Props {
  stage: BoardStage;
  grabbedId: string | null;
  dropTarget: boolean;
  onOpen: (dealId: string) => void;
  onCardKeyDown: (event: KeyboardEvent<HTMLElement>, card: Card) => void;
  onDragStart: (event: DragEvent<HTMLElement>, card: Card) => void;
  onDragOver: (event: DragEvent<HTMLElement>, stage: BoardStage) => void;
  onDrop: (event: DragEvent<HTMLElement>, stage: BoardStage) => void;
  onShowMore: (stage: BoardStage) => void;
  loadingMore: boolean;
}

export function StageColumn({ stage, grabbedId, dropTarget, onOpen, onCardKeyDown, onDragStart, onDragOver, onDrop, onShowMore, loadingMore }: Props) {
  const headingId = `stage-${stage.id}`;
  const totals = stage.totals.length
    ? stage.totals.map((t) => formatMoney(t.amount, t.currency)).join(" + ")
    : formatMoney(0);
  return (
    <section
      className={`stage-column stage-${stage.kind}${dropTarget ? " stage-column-target" : ""}`}
      aria-labelledby={headingId}
      data-stage-id={stage.id}
      onDragOver={(event) => onDragOver(event, stage)}
      onDrop={(event) => onDrop(event, stage)}
    >
      <header className="stage-header">
        <h2 id={headingId}>{stage.name}</h2>
        <p className="stage-summary">
          <span aria-label={`${stage.count} deals`}>{stage.count}</span>
          <span className="stage-total" data-testid="stage-total">{totals}</span>
        </p>
      </header>
      <ol className="stage-cards" aria-labelledby={headingId}>
        {stage.cards.map((card) => (
          <DealCard
            key={card.id}
            card={card}
            grabbed={card.id === grabbedId}
            onOpen={onOpen}
            onKeyDown={onCardKeyDown}
            onDragStart={onDragStart}
          />
        ))}
        {stage.cards.length === 0 && <li className="stage-empty">No deals here</li>}
      </ol>
      {stage.next_cursor && (
        <div className="stage-more">
          <p>Showing {stage.cards.length} of {stage.count}</p>
          <button type="button" className="button button-secondary" disabled={loadingMore} onClick={() => onShowMore(stage)}>
            {loadingMore ? "Loading…" : `Show more in ${stage.name}`}
          </button>
        </div>
      )}
    </section>
  );
}
