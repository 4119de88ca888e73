import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { DuplicatePage } from "../types";

// Under ["contacts"], so whatever refreshes contacts refreshes the pairs too.
export const duplicatesKey = ["contacts", "duplicates"] as const;

export const duplicatesQuery = () =>
  infiniteQueryOptions({
    queryKey: duplicatesKey,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/contacts/duplicates", { params: { query: { limit: 25, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useDuplicates() {
  return useInfiniteQuery(duplicatesQuery());
}

/** The loaded pairs minus every pair `contactId` is in (it was merged away, so they are all gone). */
export function withoutContact(data: InfiniteData<DuplicatePage> | undefined, contactId: string) {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.filter((pair) => !pair.contacts.some((c) => c.id === contactId)),
    })),
  };
}
