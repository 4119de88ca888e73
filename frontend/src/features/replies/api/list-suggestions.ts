import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const suggestionsKey = ["suggestions"] as const;

export const conversationSuggestionsQuery = (conversationId: string) =>
  queryOptions({
    queryKey: [...suggestionsKey, "conversation", conversationId],
    queryFn: () => unwrap(api.GET("/api/v1/suggestions", { params: { query: { conversation_id: conversationId, limit: 20 } } })),
  });

/** The suggestions of one conversation, newest first. */
export function useConversationSuggestions(conversationId: string) {
  return useQuery(conversationSuggestionsQuery(conversationId));
}

/** What the escalation queue lists: messages handed to a person, and replies sent that never reached the customer. */
export const ESCALATION_STATUSES: ("escalated" | "send_failed")[] = ["escalated", "send_failed"];

/** Escalated suggestions the signed-in user may see (a rep: their own; a manager: everyone's). */
export function useEscalatedSuggestions() {
  return useQuery({
    queryKey: [...suggestionsKey, "escalated"],
    queryFn: () => unwrap(api.GET("/api/v1/suggestions", { params: { query: { status: ESCALATION_STATUSES, limit: 100 } } })),
  });
}
