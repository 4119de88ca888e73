import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const dealKey = (dealId: string) => ["deals", dealId] as const;

export const dealQuery = (dealId: string) =>
  queryOptions({
    queryKey: dealKey(dealId),
    queryFn: () => unwrap(api.GET("/api/v1/deals/{deal_id}", { params: { path: { deal_id: dealId } } })),
  });

export function useDeal(dealId: string) {
  return useQuery(dealQuery(dealId));
}
