import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const companiesQuery = (q: string | undefined) =>
  infiniteQueryOptions({
    queryKey: ["companies", "list", { q }],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/companies", { params: { query: { q, sort: "name", limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    // While a new search loads, keep showing the last results instead of a spinner per keystroke.
    placeholderData: keepPreviousData,
  });

export function useCompanies(q: string | undefined) {
  return useInfiniteQuery(companiesQuery(q));
}
