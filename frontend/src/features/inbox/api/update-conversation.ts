import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ConversationUpdate } from "../types";
import { conversationKey } from "./get-conversation";

/** Assign, unassign, close, reopen, snooze, mark read: one PATCH; the lists refresh after. */
export function useUpdateConversation(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ConversationUpdate) =>
      unwrap(api.PATCH("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: conversationId } }, body })),
    onSuccess: (updated) => client.setQueryData(conversationKey(conversationId), updated),
    onSettled: () => client.invalidateQueries({ queryKey: ["conversations", "list"] }),
  });
}
