import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { formatMoney } from "@/lib/format";
import { useCreateDealFromOpportunity, useDismissOpportunity } from "../api/act-on-opportunity";
import { OPPORTUNITY_LABELS, type Opportunity } from "../types";

interface Done {
  kind: "created" | "dismissed";
  title: string;
  dealId?: string | null;
}

/** Chances to sell: make the deal in one click, or dismiss for good. */
export function OpportunityList({ opportunities }: { opportunities: Opportunity[] }) {
  const createDeal = useCreateDealFromOpportunity();
  const dismiss = useDismissOpportunity();
  const [done, setDone] = useState<Done | null>(null);
  const busy = createDeal.isPending || dismiss.isPending;
  const error = createDeal.error ?? dismiss.error;

  return (
    <section className="card home-section" aria-labelledby="home-opportunities">
      <h2 id="home-opportunities">Opportunities</h2>
      <p role="status" className="live-line notice">
        {done?.kind === "created" && <>Deal created for “{done.title}”. {done.dealId && <Link to={`/deals/${done.dealId}`}>Open the deal</Link>}</>}
        {done?.kind === "dismissed" && <>Dismissed “{done.title}”.</>}
      </p>
      {error && <ErrorMessage error={error} />}
      {opportunities.length === 0 ? <EmptyState title="No open opportunities." /> : (
        <ul className="home-list">
          {opportunities.map((o) => (
            <li key={o.id} className="home-item">
              <div className="home-item-head">
                <strong>{o.title}</strong>
                {o.value != null && o.value > 0 && <span className="home-value">{formatMoney(o.value, o.currency ?? undefined)}</span>}
              </div>
              <p className="muted">
                {OPPORTUNITY_LABELS[o.kind] ?? o.kind} · <Link to={`/contacts/${o.contact.id}`}>{o.contact.name}</Link>
              </p>
              {o.reasons.length > 0 && <ul className="home-reasons">{o.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
              <div className="button-row">
                <button type="button" className="button button-primary button-small" disabled={busy}
                  aria-label={`Create deal: ${o.title} for ${o.contact.name}`}
                  onClick={() => createDeal.mutate(o, { onSuccess: (r) => setDone({ kind: "created", title: o.title, dealId: r.deal_id }) })}>
                  Create deal
                </button>
                <button type="button" className="button button-ghost button-small" disabled={busy}
                  aria-label={`Dismiss: ${o.title} for ${o.contact.name}`}
                  onClick={() => dismiss.mutate(o, { onSuccess: () => setDone({ kind: "dismissed", title: o.title }) })}>
                  Dismiss
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
