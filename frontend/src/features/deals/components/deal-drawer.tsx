import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import { Drawer } from "@/components/ui/drawer";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { formatDate, formatMoney } from "@/lib/format";
import { useCloseDeal } from "../api/close-deal";
import { closeDateOverdue } from "../close-date";
import { useDeal } from "../api/get-deal";
import { useCompanyName, useContactName } from "../api/get-party-names";
import { useMoveDeal } from "../api/move-deal";
import { DealEditForm } from "./deal-edit-form";
import type { Deal, Pipeline } from "../types";

interface Props {
  dealId: string;
  pipeline: Pipeline | undefined;
  onClose: () => void;
  /** The deal's timeline, composed by the page (another feature draws it). */
  timeline?: ReactNode;
  /** More about the deal from other features (custom fields, line items), composed by the page. */
  sections?: ReactNode;
}

export function DealDrawer({ dealId, pipeline, onClose, timeline, sections }: Props) {
  const deal = useDeal(dealId);
  const [editing, setEditing] = useState(false);
  return (
    <Drawer title={deal.data?.title ?? "Deal"} onClose={onClose}>
      <QueryState query={deal} loadingLabel="Loading the deal…">
        {(data) => (
          <>
            {editing ? (
              <DealEditForm deal={data} onDone={() => setEditing(false)} />
            ) : (
              <>
                <DealDetails deal={data} pipeline={pipeline} />
                <button type="button" className="button button-secondary align-start" onClick={() => setEditing(true)}>Edit deal</button>
              </>
            )}
            <DealActions deal={data} pipeline={pipeline} />
            {sections}
            {timeline}
          </>
        )}
      </QueryState>
    </Drawer>
  );
}

function DealDetails({ deal, pipeline }: { deal: Deal; pipeline: Pipeline | undefined }) {
  const stage = pipeline?.stages.find((s) => s.id === deal.stage_id);
  const contactName = useContactName(deal.contact_id);
  const companyName = useCompanyName(deal.company_id);
  return (
    <dl className="details">
      <dt>Amount</dt>
      <dd>{formatMoney(deal.amount, deal.currency)}</dd>
      <dt>Stage</dt>
      <dd>{stage?.name ?? "—"}</dd>
      <dt>Status</dt>
      <dd className={`status status-${deal.status}`}>{deal.status === "open" ? "Open" : deal.status === "won" ? "Won" : "Lost"}</dd>
      {deal.lost_reason && (<><dt>Lost because</dt><dd>{deal.lost_reason}</dd></>)}
      <dt>Expected close</dt>
      <dd>
        {deal.expected_close_date ? formatDate(deal.expected_close_date) : "Not set"}
        {closeDateOverdue(deal) && <> <strong className="deal-overdue">Overdue: the close date has passed</strong></>}
      </dd>
      {deal.contact_id && (<><dt>Contact</dt><dd><Link to={`/contacts/${deal.contact_id}`}>{contactName.data ?? "Open contact"}</Link></dd></>)}
      {deal.company_id && (<><dt>Company</dt><dd><Link to={`/companies/${deal.company_id}`}>{companyName.data ?? "Open company"}</Link></dd></>)}
    </dl>
  );
}

/** Won, lost (with a reason) and a stage picker: the touch-friendly way to move a deal. */
function DealActions({ deal, pipeline }: { deal: Deal; pipeline: Pipeline | undefined }) {
  const close = useCloseDeal(deal);
  const move = useMoveDeal(deal.pipeline_id);
  const [askReason, setAskReason] = useState(false);
  const [reason, setReason] = useState("");
  const error = close.error ?? move.error;

  return (
    <section className="deal-actions" aria-label="Deal actions">
      {pipeline && (
        <label className="inline-field">
          Move to stage
          <select
            value={deal.stage_id}
            disabled={move.isPending}
            onChange={(event) => move.mutate({ dealId: deal.id, target: { stageId: event.target.value, index: null } })}
          >
            {pipeline.stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
      {deal.status === "open" && !askReason && (
        <div className="button-row">
          <button type="button" className="button button-success" disabled={close.isPending}
            onClick={() => close.mutate({ outcome: "won" })}>Mark as won</button>
          <button type="button" className="button button-danger" onClick={() => setAskReason(true)}>Mark as lost</button>
        </div>
      )}
      {askReason && (
        <form
          className="lost-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim()) close.mutate({ outcome: "lost", reason: reason.trim() }, { onSuccess: () => setAskReason(false) });
          }}
        >
          <label htmlFor="lost-reason">Why was it lost?</label>
          <textarea id="lost-reason" required value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={!reason.trim() || close.isPending}>Confirm lost</button>
            <button type="button" className="button button-ghost" onClick={() => setAskReason(false)}>Cancel</button>
          </div>
        </form>
      )}
      {error && <ErrorMessage error={error} />}
      {move.isSuccess && <p role="status" className="notice">Moved.</p>}
    </section>
  );
}
