import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { NearLimitNote } from "@/components/ui/near-limit-note";
import { Spinner } from "@/components/ui/spinner";
import { formatDateTime } from "@/lib/format";
import { useEscalatedSuggestions } from "../api/list-suggestions";
import { escalationStep, useEscalationConversation, useEscalationSteps, useEscalationTask, useReassign } from "../api/escalation-details";
import { useLiveSuggestions } from "../api/use-live-suggestions";
import { elapsed } from "../claims";
import { isOverdue, sortQueue, type QueueRow } from "../escalations";

interface Person { id: string; name: string }

/** Escalated messages waiting for a person (and sent replies that never reached the customer): overdue first;
 * each can be handed to someone else. */
export function EscalationQueue({ people }: { people: Person[] }) {
  useLiveSuggestions();
  const escalated = useEscalatedSuggestions();
  const items = escalated.data?.items ?? [];
  const audits = useEscalationSteps(items);
  if (escalated.isPending) return <Spinner label="Loading escalations…" />;
  if (escalated.error) return <ErrorMessage error={escalated.error} onRetry={() => escalated.refetch()} />;
  if (items.length === 0) return <EmptyState title="Nothing escalated."><p>Messages the AI hands to a person appear here.</p></EmptyState>;
  const rows = sortQueue(items.map((s, i) => ({ suggestion: s, ...escalationStep(audits[i]?.data) })));
  return (
    <ul className="escalation-list" aria-label="Escalated conversations">
      {rows.map((row) => <EscalationRow key={row.suggestion.id} row={row} people={people} />)}
    </ul>
  );
}

function EscalationRow({ row, people }: { row: QueueRow; people: Person[] }) {
  const s = row.suggestion;
  const conversation = useEscalationConversation(s.conversation_id);
  const task = useEscalationTask(row.taskId);
  const reassign = useReassign(s.conversation_id);
  const [saved, setSaved] = useState("");
  if (task.data?.done_at) return null; // handled: the task is done
  const c = conversation.data;
  const who = c?.contact ? [c.contact.first_name, c.contact.last_name].filter(Boolean).join(" ") || c.counterpart : c?.counterpart;
  const overdue = isOverdue(row.dueAt);
  const assignee = c?.assignee_id ?? "";
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? "a colleague";
  return (
    <li className={`card escalation ${overdue ? "escalation-overdue" : ""}`}>
      <div className="escalation-head">
        <h2><Link to={`/inbox/${s.conversation_id}`}>{c?.subject || "(no subject)"}</Link></h2>
        {s.status === "send_failed" ? <span className="badge badge-suggestion-send_failed">Reply not delivered</span> : null}
        {overdue ? <span className="badge badge-overdue">Overdue</span> : null}
      </div>
      <p className="escalation-facts">
        <span>From <strong>{who ?? "…"}</strong></span>
        <span>Waiting <strong>{elapsed(s.created_at)}</strong></span>
        <span>{row.dueAt ? <>Due <time dateTime={row.dueAt}>{formatDateTime(row.dueAt)}</time></> : "No due time"}</span>
        <span>Intent {s.intent.replace(/_/g, " ")} · confidence {Math.round(s.confidence * 100)}%</span>
        <NearLimitNote nearLimit={s.confidence_parts.near_limit} />
      </p>
      {s.reasons.length > 0 && <p className="muted">Why: {s.reasons.join("; ")}</p>}
      <div className="escalation-assign">
        <label htmlFor={`assign-${s.id}`}>Assigned to</label>
        <select id={`assign-${s.id}`} value={assignee} disabled={!c || reassign.isPending}
          onChange={(e) => {
            const id = e.target.value;
            if (!id) return;
            setSaved("");
            reassign.mutate({ assigneeId: id, task: task.data ? { id: task.data.id, version: task.data.version } : undefined },
              { onSuccess: () => setSaved(`Handed to ${nameOf(id)}.`) });
          }}>
          {!assignee && <option value="">Nobody yet</option>}
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        <span role="status" className="live-line">{saved}</span>
      </div>
      {reassign.error ? <ErrorMessage error={reassign.error} /> : null}
    </li>
  );
}
