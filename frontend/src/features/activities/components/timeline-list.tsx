import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { Link } from "react-router";
import { formatDateTime } from "@/lib/format";
import { useTimeline } from "../api/get-timeline";
import { messageSummary, TYPE_LABELS, type Activity, type StageChange, type Subject, type TimelineEntry, type TimelineMessage } from "../types";

interface Props {
  subject: Subject;
  /** Stage names by id, to say where a deal moved. */
  stageNames?: Record<string, string>;
}

interface Described { label: string; text: string; body?: string; to?: string }

function describe(entry: TimelineEntry, stageNames: Record<string, string>, subject: Subject): Described {
  if (entry.kind === "activity") {
    const a = entry.data as Activity;
    const done = a.type === "task" ? (a.done_at ? " (done)" : a.due_at ? ` (due ${formatDateTime(a.due_at)})` : "") : "";
    // A task an escalation or a failed reply opened leads to the customer's conversation.
    const to = a.conversation_id ? `/inbox/${a.conversation_id}` : undefined;
    return { label: TYPE_LABELS[a.type] ?? a.type, text: a.subject + done, body: a.body || undefined, to };
  }
  if (entry.kind === "stage_change") {
    const c = entry.data as StageChange;
    const to = (c.to_stage_id && stageNames[c.to_stage_id]) || c.to_status;
    const from = c.from_stage_id ? stageNames[c.from_stage_id] : null;
    const moved = from ? `Moved from ${from} to ${to}` : `Started in ${to}`;
    // On the deal's own timeline its name goes without saying; elsewhere it says which deal moved.
    const text = subject.kind !== "deal" && c.deal_title ? `${c.deal_title}: ${moved.charAt(0).toLowerCase()}${moved.slice(1)}` : moved;
    return { label: "Stage", text, to: subject.kind !== "deal" ? `/deals/${c.deal_id}` : undefined };
  }
  if (entry.kind === "message") {
    const m = entry.data as TimelineMessage;
    return { label: m.direction === "outbound" ? "Reply" : "Message", text: messageSummary(m), to: `/inbox/${m.conversation_id}` };
  }
  return { label: entry.kind.replace(/_/g, " "), text: "" };
}

export function TimelineList({ subject, stageNames = {} }: Props) {
  const timeline = useTimeline(subject);
  if (timeline.isPending) return <Spinner label="Loading the timeline…" />;
  if (timeline.error) return <ErrorMessage error={timeline.error} onRetry={() => timeline.refetch()} />;
  const entries = timeline.data.pages.flatMap((p) => p.items);
  return (
    <section className="timeline" aria-labelledby={`timeline-${subject.id}`}>
      <h2 id={`timeline-${subject.id}`}>Timeline</h2>
      {entries.length === 0 ? (
        <EmptyState title="Nothing has happened here yet." />
      ) : (
        <ol className="timeline-list">
          {entries.map((entry) => {
            const { label, text, body, to } = describe(entry, stageNames, subject);
            return (
              <li key={`${entry.kind}-${entry.id}`} className={`timeline-entry timeline-${entry.kind}`}>
                <span className="timeline-label">{label}</span>
                <span className="timeline-text">{to ? <Link to={to}>{text}</Link> : text}</span>
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                {body && <p className="timeline-body">{body}</p>}
              </li>
            );
          })}
        </ol>
      )}
      {timeline.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={timeline.isFetchingNextPage}
          onClick={() => timeline.fetchNextPage()}>
          {timeline.isFetchingNextPage ? "Loading…" : "Show older"}
        </button>
      )}
    </section>
  );
}
