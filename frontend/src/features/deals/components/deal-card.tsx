import type { DragEvent, KeyboardEvent } from "react";
import { formatDate, formatMoney } from "@/lib/format";
import { closeDateOverdue } from "../close-date";
import type { Card } from "../types";

interface Props {
  card: Card;
  grabbed: boolean;
  onOpen: (dealId: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>, card: Card) => void;
  onDragStart: (event: DragEvent<HTMLElement>, card: Card) => void;
}

/** A deal on the board: click or Enter opens it; drag it, or Space then arrow keys, to move it. */
export function DealCard({ card, grabbed, onOpen, onKeyDown, onDragStart }: Props) {
  const overdue = closeDateOverdue(card);
  const classes = ["deal-card", grabbed && "deal-card-grabbed", card.status !== "open" && `deal-card-${card.status}`,
    overdue && "deal-card-overdue"];
  return (
    <li className="deal-card-item" data-deal-id={card.id}>
      {/* A div, not a <button>: Chromium starts no native drag from a button. */}
      <div
        role="button"
        tabIndex={0}
        className={classes.filter(Boolean).join(" ")}
        draggable
        aria-describedby="board-instructions"
        aria-pressed={grabbed}
        onDragStart={(event) => onDragStart(event, card)}
        onKeyDown={(event) => onKeyDown(event, card)}
        onClick={() => onOpen(card.id)}
      >
        <span className="deal-card-title">{card.title}</span>
        <span className="deal-card-amount">{formatMoney(card.amount, card.currency)}</span>
        {(card.contact_name || card.company_name) && (
          <span className="deal-card-meta">{[card.contact_name, card.company_name].filter(Boolean).join(" · ")}</span>
        )}
        <span className="deal-card-foot">
          {card.owner_name ?? "Unassigned"}
          {card.expected_close_date && (overdue
            ? <> · <strong className="deal-overdue">Overdue: was to close {formatDate(card.expected_close_date)}</strong></>
            : <> · closes {formatDate(card.expected_close_date)}</>)}
        </span>
      </div>
    </li>
  );
}
