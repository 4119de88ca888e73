import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/problem";
import type { Company, CompanyUpdate } from "../types";
import { companyQuery } from "./get-company";

/** Saves against the version on screen (If-Match); a 412 reloads the company someone else changed. */
export function useUpdateCompany(company: Pick<Company, "id" | "version">) {
  const client = useQueryClient();
  const key = companyQuery(company.id).queryKey;
  return useMutation({
    mutationFn: (body: CompanyUpdate) =>
      unwrap(api.PATCH("/api/v1/companies/{company_id}", {
        params: { path: { company_id: company.id } },
        headers: { "If-Match": `"${company.version}"` },
        body,
      })),
    onSuccess: (updated) => {
      client.setQueryData(key, updated);
      void client.invalidateQueries({ queryKey: ["companies", "list"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) void client.invalidateQueries({ queryKey: key });
    },
  });
}
