import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const companyQuery = (companyId: string) =>
  queryOptions({
    queryKey: ["companies", companyId],
    queryFn: () => unwrap(api.GET("/api/v1/companies/{company_id}", { params: { path: { company_id: companyId } } })),
  });

export function useCompany(companyId: string | null | undefined) {
  return useQuery({ ...companyQuery(companyId ?? ""), enabled: Boolean(companyId) });
}
