import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Activity, MyTasks } from "../types";

const MINE = ["activities", "mine"];

/** One click marks a task done; it leaves the list at once and comes back if the server refuses. */
export function useCompleteTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (task: Pick<Activity, "id" | "version">) =>
      unwrap(api.PATCH("/api/v1/activities/{activity_id}", {
        params: { path: { activity_id: task.id } },
        headers: { "If-Match": `"${task.version}"` },
        body: { done_at: new Date().toISOString() },
      })),
    onMutate: async (task) => {
      await client.cancelQueries({ queryKey: MINE });
      const before = client.getQueryData<MyTasks>(MINE);
      if (before) {
        const drop = (list: Activity[]) => list.filter((t) => t.id !== task.id);
        client.setQueryData<MyTasks>(MINE, { overdue: drop(before.overdue), today: drop(before.today), upcoming: drop(before.upcoming) });
      }
      return { before };
    },
    onError: (_error, _task, context) => {
      if (context?.before) client.setQueryData(MINE, context.before);
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: ["activities"] });
      client.invalidateQueries({ queryKey: ["timeline"] });
    },
  });
}
