import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { NearLimitNote } from "@/components/ui/near-limit-note";
import { Spinner } from "@/components/ui/spinner";
import { formatConfidence, formatDateTime } from "@/lib/format";
import { useReassign } from "../api/escalation-details";
import { useEscalationQueue, type EscalationRow } from "../api/list-escalations";
import { useLiveSuggestions } from "../api/use-live-suggestions";
import { elapsed } from "../claims";
import { isOverdue } from "../escalations";

interface Person { id: string; name: string }
interface Viewer { id: string; role: string }

/** Conversations waiting for a person (an escalated message, or a sent reply that never reached the customer),
 * one row each, soonest due (so overdue) first, as the server lists them in one request: answering or closing
 * the conversation takes it off. Managers can hand a row to anyone; reps can take it. */
export function EscalationQueue({ people, viewer }: { people: Person[]; viewer?: Viewer }) {
  useLiveSuggestions();
  const queue = useEscalationQueue();
  if (queue.isPending) return <Spinner label="Loading escalations…" />;
  if (queue.error) return <ErrorMessage error={queue.error} onRetry={() => queue.refetch()} />;
  const rows = queue.data.items;
  if (rows.length === 0) return <EmptyState title="Nothing escalated."><p>Messages the AI hands to a person appear here.</p></EmptyState>;
  // A rep may take a conversation, not hand it to a colleague (the API answers 403).
  const choices = (row: EscalationRow) => (viewer?.role === "rep" ? people.filter((p) => p.id === viewer.id || p.id === row.assignee_id) : people);
  return (
    <>
      <ul className="escalation-list" aria-label="Escalated conversations">
        {rows.map((row) => <EscalationItem key={row.conversation_id} row={row} people={people} choices={choices(row)} />)}
      </ul>
      {queue.data.truncated ? <p className="muted">Showing the {rows.length} due soonest.</p> : null}
    </>
  );
}

function EscalationItem({ row, people, choices }: { row: EscalationRow; people: Person[]; choices: Person[] }) {
  const reassign = useReassign(row.conversation_id);
  const [saved, setSaved] = useState("");
  const overdue = isOverdue(row.due_at);
  const assignee = row.assignee_id ?? "";
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? "a colleague";
  const task = row.task_id && row.task_version !== null ? { id: row.task_id, version: row.task_version } : undefined;
  return (
    <li className={`card escalation ${overdue ? "escalation-overdue" : ""}`}>
      <div className="escalation-head">
        <h2><Link to={`/inbox/${row.conversation_id}`}>{row.subject || "(no subject)"}</Link></h2>
        {row.status === "send_failed" ? <span className="badge badge-suggestion-send_failed">Reply not delivered</span> : null}
        {overdue ? <span className="badge badge-overdue">Overdue</span> : null}
      </div>
      <p className="escalation-facts">
        <span>From <strong>{row.customer}</strong></span>
        <span>Waiting <strong>{elapsed(row.asked_at)}</strong></span>
        <span>Due <time dateTime={row.due_at}>{formatDateTime(row.due_at)}</time></span>
        {row.open_escalations > 1 ? <span>{row.open_escalations} messages waiting</span> : null}
        <span>Intent {row.intent.replace(/_/g, " ")} · confidence {formatConfidence(row.confidence)}</span>
        <NearLimitNote nearLimit={row.near_limit} />
      </p>
      {row.reasons.length > 0 && <p className="muted">Why: {row.reasons.join("; ")}</p>}
      <div className="escalation-assign">
        <label htmlFor={`assign-${row.escalation_id}`}>Assigned to</label>
        <select id={`assign-${row.escalation_id}`} value={assignee} disabled={reassign.isPending}
          onChange={(e) => {
            const id = e.target.value;
            if (!id) return;
            setSaved("");
            reassign.mutate({ assigneeId: id, task }, { onSuccess: () => setSaved(`Handed to ${nameOf(id)}.`) });
          }}>
          {!assignee && <option value="">Nobody yet</option>}
          {choices.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        <span role="status" className="live-line">{saved}</span>
      </div>
      {reassign.error ? <ErrorMessage error={reassign.error} /> : null}
    </li>
  );
}
