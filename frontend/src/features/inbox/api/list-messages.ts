import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Message } from "../types";

export const messagesKey = (conversationId: string) => ["conversations", conversationId, "messages"] as const;

const inFlight = (m: Message) => m.direction === "outbound" && (m.status === "queued" || m.status === "sending");

/** The thread, oldest first; later pages are newer messages. */
export const messagesQuery = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: messagesKey(conversationId),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/conversations/{conversation_id}/messages", {
        params: { path: { conversation_id: conversationId }, query: { limit: 50, cursor: pageParam } },
      })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    // Live events say when a reply is sent; while one is on its way, a slow poll covers a missed event.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some(inFlight)) ? 5_000 : false,
  });

export function useMessages(conversationId: string) {
  return useInfiniteQuery(messagesQuery(conversationId));
}
