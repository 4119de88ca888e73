import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { conversationKey } from "./get-conversation";
import { messagesKey } from "./list-messages";

/** Typed text, or on WhatsApp an approved template with its parameters in order. */
export type ReplyBody = { text: string } | { template: components["schemas"]["TemplateReply"] };

/** Queues a reply through the conversation's channel; a 409 says the channel cannot send, a 422 what did not fit. */
export function useSendReply(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ReplyBody) =>
      unwrap(api.POST("/api/v1/conversations/{conversation_id}/messages", {
        params: { path: { conversation_id: conversationId } }, body,
      })),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: messagesKey(conversationId) });
      client.invalidateQueries({ queryKey: conversationKey(conversationId), exact: true });
      client.invalidateQueries({ queryKey: ["conversations", "list"] });
    },
  });
}
