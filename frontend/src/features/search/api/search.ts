import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

// Every kind `GET /api/v1/search` covers; each hit is one the user may see.
export const SEARCH_TYPES = "contact,company,deal,product,message";

export function useGlobalSearch(q: string) {
  return useQuery({
    queryKey: ["search", "global", q],
    queryFn: () => unwrap(api.GET("/api/v1/search", { params: { query: { q, types: SEARCH_TYPES, limit: 12 } } })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData, // the list stays put while the next keystroke's answer comes
  });
}
