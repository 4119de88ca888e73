import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { formatConfidence, formatDateTime } from "@/lib/format";
import { type ReviewFilters, useIntents, useReviewList } from "../api/review";
import { dayStart, firstLine, intentLabel, takesVerdict } from "../review";
import { DECISION_LABELS, STATUS_LABELS, type Suggestion } from "../types";
import { AuditDownload } from "./audit-download";
import { VerdictCell } from "./verdict-cell";

const DECISIONS = ["auto_send", "approval", "escalate"] as const;
const STATUSES = ["sent", "approved", "edited", "rejected", "superseded", "send_failed", "escalated"] as const;

interface Form { decision: string; status: string; intent: string; from: string; to: string }

function filtersOf(form: Form): ReviewFilters {
  return {
    decision: (form.decision || undefined) as ReviewFilters["decision"],
    status: (form.status || undefined) as ReviewFilters["status"],
    intent: form.intent || undefined, since: dayStart(form.from), until: dayStart(form.to, true),
  };
}

/** What the AI decided, newest first, for a manager to judge: filters, one row per message, "Looks right" /
 * "Mark as wrong" on replies it sent on its own, and the audit CSV of the same dates. */
export function AiReview() {
  const [form, setForm] = useState<Form>({ decision: "auto_send", status: "", intent: "", from: "", to: "" });
  const filters = filtersOf(form);
  const list = useReviewList(filters);
  const intents = useIntents();
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <form className="filters" aria-label="Filter decisions" onSubmit={(e) => e.preventDefault()}>
        <label>Decision
          <select value={form.decision} onChange={(e) => set({ decision: e.target.value })}>
            <option value="">Any</option>
            {DECISIONS.map((d) => <option key={d} value={d}>{DECISION_LABELS[d]}</option>)}
          </select>
        </label>
        <label>Status
          <select value={form.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <label>Intent
          <select value={form.intent} onChange={(e) => set({ intent: e.target.value })}>
            <option value="">Any</option>
            {(intents.data ?? []).map((i) => <option key={i.name} value={i.name}>{intentLabel(i.name)}</option>)}
          </select>
        </label>
        <label>From <input type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} /></label>
        <label>To <input type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} /></label>
      </form>
      <AuditDownload since={filters.since} until={filters.until} />
      {list.isPending ? <Spinner label="Loading decisions…" />
        : list.error ? <ErrorMessage error={list.error} onRetry={() => list.refetch()} />
        : rows.length === 0 ? <EmptyState title="No decisions match."><p>Change the filters to see more.</p></EmptyState>
        : (
          <table className="table">
            <caption className="visually-hidden">Decided messages, newest first</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Customer</th><th scope="col">Intent</th><th scope="col">Decision</th>
                <th scope="col">Status</th><th scope="col">Reply</th><th scope="col">Verdict</th></tr>
            </thead>
            <tbody>{rows.map((s) => <ReviewRow key={s.id} suggestion={s} />)}</tbody>
          </table>
        )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {list.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      )}
    </>
  );
}

function ReviewRow({ suggestion: s }: { suggestion: Suggestion }) {
  return (
    <tr>
      <td><time dateTime={s.created_at}>{formatDateTime(s.created_at)}</time></td>
      <td><Link to={`/inbox/${s.conversation_id}`}>{s.customer || "Open conversation"}</Link></td>
      <td>{intentLabel(s.intent)} · {formatConfidence(s.confidence)}</td>
      <td>{DECISION_LABELS[s.decision] ?? s.decision}</td>
      <td>{STATUS_LABELS[s.status] ?? s.status}</td>
      <td>{firstLine(s.sent_text ?? s.draft_text) || <span className="muted">No draft</span>}</td>
      <td>{takesVerdict(s) ? <VerdictCell suggestion={s} /> : <span className="muted">—</span>}</td>
    </tr>
  );
}
