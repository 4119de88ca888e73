import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { CompanyCreate } from "../types";

export function useCreateCompany() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CompanyCreate) => unwrap(api.POST("/api/v1/companies", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["companies", "list"] }),
  });
}
