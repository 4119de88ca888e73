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
