import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** Hands the conversation, and its escalation task, to someone else. */
export function useReassign(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ assigneeId, task }: { assigneeId: string; task?: { id: string; version: number } }) => {
      await unwrap(api.PATCH("/api/v1/conversations/{conversation_id}", {
        params: { path: { conversation_id: conversationId } }, body: { assignee_id: assigneeId },
      }));
      if (task) {
        await unwrap(api.PATCH("/api/v1/activities/{activity_id}", {
          params: { path: { activity_id: task.id } }, headers: { "If-Match": `"${task.version}"` }, body: { assignee_id: assigneeId },
        }));
      }
    },
    onSettled: (_data, _error, variables) => {
      client.invalidateQueries({ queryKey: ["conversations", conversationId] });
      if (variables.task) client.invalidateQueries({ queryKey: ["activities", variables.task.id] });
      client.invalidateQueries({ queryKey: ["suggestions"] });
    },
  });
}
