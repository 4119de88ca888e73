import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { AuditStep } from "../types";

/** The audit steps that create an escalation's task: the reply step's own, or a sent reply that failed. */
const TASK_STEPS = new Set(["escalated", "send_failed"]);

/** The task an escalation created, as its audit step recorded it. */
export interface EscalationStep {
  taskId: string | null;
  dueAt: string | null;
}

export function escalationStep(steps: AuditStep[] | undefined): EscalationStep {
  const step = [...(steps ?? [])].reverse().find((s) => TASK_STEPS.has(s.action));
  const data = (step?.data ?? {}) as Record<string, unknown>;
  return { taskId: typeof data.task_id === "string" ? data.task_id : null, dueAt: typeof data.due_at === "string" ? data.due_at : null };
}

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
