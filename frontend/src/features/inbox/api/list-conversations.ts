import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { listQuery } from "../inbox-logic";
import type { InboxFilters } from "../types";

export const conversationsKey = ["conversations", "list"] as const;

export const conversationsQuery = (filters: InboxFilters) =>
  infiniteQueryOptions({
    queryKey: [...conversationsKey, filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/conversations", { params: { query: { ...listQuery(filters), limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    // A new filter or search keeps the last list on screen until the new one arrives.
    placeholderData: keepPreviousData,
  });

export function useConversations(filters: InboxFilters) {
  return useInfiniteQuery(conversationsQuery(filters));
}
