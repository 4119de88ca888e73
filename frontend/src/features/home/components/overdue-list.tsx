import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/lib/format";
import { overdueText } from "../home-logic";
import type { TaskBrief } from "../types";

interface Props {
  title: string;
  empty: string;
  tasks: TaskBrief[];
  /** Where the full list lives: the escalations queue or the task list. */
  more: { to: string; label: string };
}

/** Where an overdue task opens: an escalation's conversation (the customer's words), else the contact. */
function taskPath(t: TaskBrief): string | null {
  if (t.conversation_id) return `/inbox/${t.conversation_id}`;
  return t.contact_id ? `/contacts/${t.contact_id}` : null;
}

/** The caller's overdue work, oldest first, each linked to the conversation or customer it is about. */
export function OverdueList({ title, empty, tasks, more }: Props) {
  const headingId = `home-${more.to.replace(/\W/g, "")}`;
  return (
    <section className="card home-section" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>{title}</h2>
        <Link to={more.to}>{more.label}</Link>
      </header>
      {tasks.length === 0 ? <EmptyState title={empty} /> : (
        <ul className="home-list">
          {tasks.map((t) => (
            <li key={t.id} className="home-item">
              <div className="home-item-head">
                <TaskLink task={t} />
              </div>
              <p className="muted"><span className="badge badge-overdue">{overdueText(t.due_at)}</span> due {formatDateTime(t.due_at)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskLink({ task }: { task: TaskBrief }) {
  const to = taskPath(task);
  return to ? <Link to={to}>{task.subject}</Link> : <span>{task.subject}</span>;
}
