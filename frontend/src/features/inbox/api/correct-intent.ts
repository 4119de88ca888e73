import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { messagesKey } from "./list-messages";

/** Records the right intent for a message's classification; the next retrain learns it. */
export function useCorrectIntent(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ classificationId, intent }: { classificationId: string; intent: string }) =>
      unwrap(api.PATCH("/api/v1/ai/classifications/{classification_id}", {
        params: { path: { classification_id: classificationId } }, body: { intent },
      })),
    onSettled: () => client.invalidateQueries({ queryKey: messagesKey(conversationId) }),
  });
}
