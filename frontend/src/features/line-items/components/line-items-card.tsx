import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useDeleteLineItem, useLineItems, useUpdateLineItem } from "../api/line-items";
import { formatPrice } from "../line-items-logic";
import type { DealRef } from "../types";
import { AddLineItem } from "./add-line-item";
import { LineItemRow } from "./line-item-row";

interface Props {
  deal: DealRef;
  /** Turns "the total drives the deal's amount" on or off (the page saves its deal). */
  onDriveAmount: (on: boolean) => Promise<unknown>;
  driveError?: unknown;
}

/** The products on a deal: quantities, prices, discounts and their total. */
export function LineItemsCard({ deal, onDriveAmount, driveError }: Props) {
  const items = useLineItems(deal.id);
  const update = useUpdateLineItem(deal.id);
  const remove = useDeleteLineItem(deal.id);
  const busy = update.isPending || remove.isPending;
  // The box shows the rep's choice at once while the deal saves; the server's answer then takes over.
  const [driving, setDriving] = useState<boolean | null>(null);
  const error = update.error ?? remove.error ?? driveError;

  return (
    <section className="card" aria-labelledby={`line-items-${deal.id}`}>
      <h2 id={`line-items-${deal.id}`}>Line items</h2>
      <QueryState query={items} loadingLabel="Loading line items…">
        {(list) => (
          <>
            {list.items.length === 0 ? <EmptyState title="No products on this deal yet." /> : (
              <div className="table-wrap">
                <table className="data-table line-items-table">
                  <thead>
                    <tr><th scope="col">Product</th><th scope="col">Qty</th><th scope="col">Unit price</th><th scope="col">Discount %</th><th scope="col">Total</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
                  </thead>
                  <tbody>
                    {list.items.map((item) => (
                      <LineItemRow key={item.id} item={item} busy={busy}
                        onSave={(body) => update.mutate({ itemId: item.id, body })} onRemove={() => remove.mutate(item.id)} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div className="line-items-total">
              <span>Total: <output aria-label="Line items total">{formatPrice(list.total, list.currency)}</output></span>
              <label className="checkbox-field">
                <input type="checkbox" checked={driving ?? list.amount_from_line_items} disabled={driving !== null}
                  onChange={(e) => {
                    setDriving(e.target.checked);
                    void onDriveAmount(e.target.checked).catch(() => undefined).finally(() => setDriving(null));
                  }} />
                Total drives the deal's amount
              </label>
            </div>
            {!list.amount_from_line_items && list.items.length > 0 && list.total !== deal.amount && (
              <p className="muted">The deal's amount ({formatPrice(deal.amount, deal.currency)}) is set by hand.</p>
            )}
          </>
        )}
      </QueryState>
      {error != null && <ErrorMessage error={error} />}
      <AddLineItem deal={deal} />
    </section>
  );
}
