import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { conversationKey } from "./get-conversation";
import { messagesKey } from "./list-messages";

/**
 * Sends a failed reply again: the same message, through the channel's normal send path. A 409 says why not
 * (the chat's window closed, it is queued already, or the attempt may have reached the customer and
 * `confirmUncertain` was not given).
 */
export function useRetryMessage(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, confirmUncertain = false }: { messageId: string; confirmUncertain?: boolean }) =>
      unwrap(api.POST("/api/v1/conversations/{conversation_id}/messages/{message_id}/retry", {
        params: { path: { conversation_id: conversationId, message_id: messageId } },
        body: { confirm_uncertain: confirmUncertain },
      })),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: messagesKey(conversationId) });
      client.invalidateQueries({ queryKey: conversationKey(conversationId), exact: true });
      client.invalidateQueries({ queryKey: ["conversations", "list"] });
    },
  });
}
