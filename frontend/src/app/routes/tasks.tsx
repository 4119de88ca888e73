import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { useCompleteTask } from "@/features/activities/api/complete-task";
import { useMyTasks } from "@/features/activities/api/get-my-tasks";
import { TaskList } from "@/features/activities/components/task-list";
import type { Activity } from "@/features/activities/types";

export function TasksRoute() {
  const tasks = useMyTasks();
  const complete = useCompleteTask();
  const [done, setDone] = useState<string | null>(null);

  const onComplete = (task: Activity) =>
    complete.mutate(task, { onSuccess: () => setDone(`Completed “${task.subject}”.`) });

  return (
    <div className="page">
      <header className="page-header"><h1>My tasks</h1></header>
      <div aria-live="polite" className="live-line">{done && <p className="notice">{done}</p>}</div>
      {complete.error && <ErrorMessage error={complete.error} />}
      <QueryState query={tasks} loadingLabel="Loading your tasks…">
        {(t) =>
          t.overdue.length + t.today.length + t.upcoming.length === 0 ? (
            <EmptyState title="You're all caught up.">
              <p>Tasks you add on contacts and deals show up here.</p>
            </EmptyState>
          ) : (
            <div className="task-groups">
              <TaskList title="Overdue" tone="overdue" tasks={t.overdue} emptyText="Nothing overdue." onComplete={onComplete} pendingId={complete.variables?.id} />
              <TaskList title="Today" tasks={t.today} emptyText="Nothing else due today." onComplete={onComplete} pendingId={complete.variables?.id} />
              <TaskList title="Upcoming" tasks={t.upcoming} emptyText="Nothing coming up." onComplete={onComplete} pendingId={complete.variables?.id} />
            </div>
          )
        }
      </QueryState>
    </div>
  );
}
