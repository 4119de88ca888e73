import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Subject } from "../types";

export const timelineKey = (subject: Subject) => ["timeline", subject.kind, subject.id] as const;

function fetchPage(subject: Subject, cursor: string | undefined) {
  const query = { limit: 25, cursor };
  switch (subject.kind) {
    case "contact":
      return unwrap(api.GET("/api/v1/contacts/{contact_id}/timeline", { params: { path: { contact_id: subject.id }, query } }));
    case "company":
      return unwrap(api.GET("/api/v1/companies/{company_id}/timeline", { params: { path: { company_id: subject.id }, query } }));
    case "deal":
      return unwrap(api.GET("/api/v1/deals/{deal_id}/timeline", { params: { path: { deal_id: subject.id }, query } }));
  }
}

export const timelineQuery = (subject: Subject) =>
  infiniteQueryOptions({
    queryKey: timelineKey(subject),
    queryFn: ({ pageParam }) => fetchPage(subject, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useTimeline(subject: Subject) {
  return useInfiniteQuery(timelineQuery(subject));
}
