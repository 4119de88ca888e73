import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Company } from "../types";

/** Soft delete: managers and admins can restore it. */
export function useDeleteCompany(company: Pick<Company, "id" | "version">) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/companies/{company_id}", {
        params: { path: { company_id: company.id } },
        headers: { "If-Match": `"${company.version}"` },
      })),
    onSuccess: () => {
      client.removeQueries({ queryKey: ["companies", company.id] });
      void client.invalidateQueries({ queryKey: ["companies", "list"] });
    },
  });
}

export function useRestoreCompany() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (companyId: string) =>
      unwrap(api.POST("/api/v1/companies/{company_id}/restore", { params: { path: { company_id: companyId } } })),
    onSuccess: (restored) => {
      client.setQueryData(["companies", restored.id], restored);
      void client.invalidateQueries({ queryKey: ["companies", "list"] });
    },
  });
}
