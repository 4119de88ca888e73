import { Link } from "react-router";
import { formatDateTime } from "@/lib/format";
import type { Activity } from "../types";

interface Props {
  title: string;
  tasks: Activity[];
  emptyText: string;
  tone?: "overdue";
  onComplete: (task: Activity) => void;
  pendingId?: string;
  /** Off where the list already sits on the record the tasks belong to. */
  showLinks?: boolean;
}

function recordLink(task: Activity): { to: string; label: string } | null {
  // An escalation's or failed reply's task is about a customer's words: open them.
  if (task.conversation_id) return { to: `/inbox/${task.conversation_id}`, label: "Open conversation" };
  if (task.deal_id) return { to: `/deals/${task.deal_id}`, label: "Open deal" };
  if (task.contact_id) return { to: `/contacts/${task.contact_id}`, label: "Open contact" };
  if (task.company_id) return { to: `/companies/${task.company_id}`, label: "Open company" };
  return null;
}

export function TaskList({ title, tasks, emptyText, tone, onComplete, pendingId, showLinks = true }: Props) {
  const headingId = `tasks-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section className={`task-group${tone ? ` task-group-${tone}` : ""}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title} <span className="count">({tasks.length})</span></h2>
      {tasks.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ul className="task-list">
          {tasks.map((task) => {
            const link = showLinks ? recordLink(task) : null;
            return (
              <li key={task.id} className="task-item">
                <button type="button" className="task-check" disabled={pendingId === task.id}
                  aria-label={`Complete “${task.subject}”`} onClick={() => onComplete(task)}>
                  <span aria-hidden="true">✓</span>
                </button>
                <div className="task-text">
                  <span className="task-subject">{task.subject}</span>
                  <span className="task-due">Due {formatDateTime(task.due_at)}</span>
                </div>
                {link && <Link to={link.to} className="task-link">{link.label}</Link>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
