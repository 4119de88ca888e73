import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { conversationKey } from "./get-conversation";
import { messagesKey } from "./list-messages";

/** Queues a reply through the conversation's channel; a 409 says the channel cannot send. */
export function useSendReply(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) =>
      unwrap(api.POST("/api/v1/conversations/{conversation_id}/messages", {
        params: { path: { conversation_id: conversationId } }, body: { text },
      })),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: messagesKey(conversationId) });
      client.invalidateQueries({ queryKey: conversationKey(conversationId), exact: true });
      client.invalidateQueries({ queryKey: ["conversations", "list"] });
    },
  });
}
