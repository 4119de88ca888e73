import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

interface DealFilter {
  contact_id?: string;
  company_id?: string;
}

/** A record's deals (a contact's or a company's): the first page is plenty on its page. */
export const dealsOfQuery = (filter: DealFilter) =>
  queryOptions({
    queryKey: ["deals", "list", filter],
    queryFn: () => unwrap(api.GET("/api/v1/deals", { params: { query: { ...filter, limit: 50 } } })),
  });

export function useDealsOf(filter: DealFilter) {
  return useQuery(dealsOfQuery(filter));
}
