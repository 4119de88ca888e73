import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const conversationKey = (id: string) => ["conversations", id] as const;

export const conversationQuery = (id: string) =>
  queryOptions({
    queryKey: conversationKey(id),
    queryFn: () => unwrap(api.GET("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id } } })),
  });

export function useConversation(id: string) {
  return useQuery(conversationQuery(id));
}
