import { useState, type KeyboardEvent } from "react";
import { itemErrors, formatPrice, lineTotal } from "../line-items-logic";
import type { LineItem, LineItemUpdate } from "../types";

interface Props {
  item: LineItem;
  busy: boolean;
  onSave: (changes: LineItemUpdate) => void;
  onRemove: () => void;
}

type Editable = "quantity" | "unit_price" | "discount_percent";

/** One product on the deal; quantity, price and discount save on Enter or when leaving the box. */
export function LineItemRow({ item, busy, onSave, onRemove }: Props) {
  const saved = { quantity: String(item.quantity), unit_price: String(item.unit_price), discount_percent: String(Number(item.discount_percent)) };
  const [draft, setDraft] = useState(saved);
  const [lastSaved, setLastSaved] = useState(saved);
  // A new version from the server (after a save or someone else's change) replaces the draft.
  if (saved.quantity !== lastSaved.quantity || saved.unit_price !== lastSaved.unit_price || saved.discount_percent !== lastSaved.discount_percent) {
    setLastSaved(saved);
    setDraft(saved);
  }
  const errors = itemErrors(draft);
  const preview = lineTotal(draft.quantity, draft.unit_price, draft.discount_percent);

  const commit = () => {
    if (Object.keys(errors).length) return;
    const changes: LineItemUpdate = {};
    if (draft.quantity !== saved.quantity) changes.quantity = Number(draft.quantity);
    if (draft.unit_price !== saved.unit_price) changes.unit_price = draft.unit_price.trim();
    if (draft.discount_percent !== saved.discount_percent) changes.discount_percent = draft.discount_percent.trim() || "0";
    if (Object.keys(changes).length) onSave(changes);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    } else if (event.key === "Escape") {
      event.stopPropagation(); // undo the typing, not close the deal
      setDraft(saved);
    }
  };
  const input = (key: Editable, label: string, mode: "numeric" | "decimal") => (
    <>
      <input type="text" inputMode={mode} aria-label={`${label} of ${item.title}`} value={draft[key]} disabled={busy}
        aria-invalid={errors[key] ? true : undefined}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} onKeyDown={onKey} onBlur={commit} />
      {errors[key] && <small className="field-error">{errors[key]}</small>}
    </>
  );

  return (
    <tr>
      <th scope="row" data-label="Product">
        {item.title}
        {item.sku && <small className="muted"> · {item.sku}</small>}
      </th>
      <td data-label="Quantity">{input("quantity", "Quantity", "numeric")}</td>
      <td data-label="Unit price">{input("unit_price", "Unit price", "decimal")}</td>
      <td data-label="Discount %">{input("discount_percent", "Discount", "decimal")}</td>
      <td data-label="Total">{formatPrice(preview ?? item.line_total, item.currency)}</td>
      <td className="line-item-actions">
        <button type="button" className="button button-ghost button-small" disabled={busy} aria-label={`Remove ${item.title}`} onClick={onRemove}>
          Remove
        </button>
      </td>
    </tr>
  );
}
