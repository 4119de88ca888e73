import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

// The kinds `GET /api/v1/search` covers today; companies, deals and messages join when it does.
export const SEARCH_TYPES = "product,contact";

export function useGlobalSearch(q: string) {
  return useQuery({
    queryKey: ["search", "global", q],
    queryFn: () => unwrap(api.GET("/api/v1/search", { params: { query: { q, types: SEARCH_TYPES, limit: 12 } } })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData, // the list stays put while the next keystroke's answer comes
  });
}
