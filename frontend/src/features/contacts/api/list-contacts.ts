import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ContactFilters } from "../types";

export const contactsQuery = (filters: ContactFilters) =>
  infiniteQueryOptions({
    queryKey: ["contacts", "list", filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/contacts", { params: { query: { ...filters, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    // While a new search loads, keep showing the last results instead of a spinner per keystroke.
    placeholderData: keepPreviousData,
  });

export function useContacts(filters: ContactFilters) {
  return useInfiniteQuery(contactsQuery(filters));
}
