import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { unreadBadge } from "../inbox-logic";

/** The newest open conversations, for the unread badge in the navigation. */
export const unreadQuery = queryOptions({
  queryKey: ["conversations", "list", "unread-badge"],
  queryFn: () => unwrap(api.GET("/api/v1/conversations", { params: { query: { status: "open", limit: 100 } } })),
  select: (page) => unreadBadge(page.items, Boolean(page.next_cursor)),
});

export function useUnreadBadge() {
  return useQuery(unreadQuery).data ?? null;
}
