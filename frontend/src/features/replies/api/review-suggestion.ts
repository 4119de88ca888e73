import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/problem";
import type { Suggestion } from "../types";

function useAfterReview() {
  const client = useQueryClient();
  return (suggestion: Suggestion) => {
    client.invalidateQueries({ queryKey: ["suggestions"] });
    // The sent reply joins the thread and the conversation's last activity.
    client.invalidateQueries({ queryKey: ["conversations", suggestion.conversation_id] });
    client.invalidateQueries({ queryKey: ["conversations", "list"] });
  };
}

/** Sends the draft, or `text` when edited; a 422 `ungrounded-reply` carries `failed_claims`. A 409 (answered
 * meanwhile, or reviewed by someone else) changed the suggestion on the server: it is read again. */
export function useApproveSuggestion(suggestionId: string) {
  const after = useAfterReview();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string | undefined) =>
      unwrap(api.POST("/api/v1/suggestions/{suggestion_id}/approve", {
        params: { path: { suggestion_id: suggestionId } }, body: text === undefined ? {} : { text },
      })),
    onSuccess: after,
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) client.invalidateQueries({ queryKey: ["suggestions"] });
    },
  });
}

export function useRejectSuggestion(suggestionId: string) {
  const after = useAfterReview();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST("/api/v1/suggestions/{suggestion_id}/reject", {
        params: { path: { suggestion_id: suggestionId } }, body: { reason },
      })),
    onSuccess: after,
  });
}
