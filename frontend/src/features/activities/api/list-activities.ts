import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

interface Filter {
  contact_id?: string;
  company_id?: string;
  deal_id?: string;
  type?: "task";
  done?: boolean;
}

/** A record's open tasks and recent activities, for its page. */
export const activitiesOfQuery = (filter: Filter) =>
  queryOptions({
    queryKey: ["activities", "list", filter],
    queryFn: () => unwrap(api.GET("/api/v1/activities", { params: { query: { ...filter, limit: 50 } } })),
  });

export function useActivitiesOf(filter: Filter) {
  return useQuery(activitiesOfQuery(filter));
}
