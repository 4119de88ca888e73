import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useCompleteTask } from "../api/complete-task";
import { useActivitiesOf } from "../api/list-activities";
import { TaskList } from "./task-list";

/** A record's open tasks, each completed with one click. */
export function OpenTasks({ filter }: { filter: { contact_id?: string; company_id?: string; deal_id?: string } }) {
  const tasks = useActivitiesOf({ ...filter, type: "task", done: false });
  const complete = useCompleteTask();
  if (tasks.isPending) return <Spinner label="Loading tasks…" />;
  if (tasks.error) return <ErrorMessage error={tasks.error} onRetry={() => tasks.refetch()} />;
  return (
    <>
      <TaskList title="Open tasks" tasks={tasks.data.items} emptyText="No open tasks." showLinks={false}
        onComplete={(task) => complete.mutate(task)} pendingId={complete.isPending ? complete.variables?.id : undefined} />
      {complete.error && <ErrorMessage error={complete.error} />}
    </>
  );
}
