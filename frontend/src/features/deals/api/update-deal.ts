import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { ApiError } from "@/lib/problem";
import type { Deal } from "../types";
import { dealKey } from "./get-deal";

type DealUpdate = components["schemas"]["DealUpdate"];

/** Saves against the version on screen (If-Match); a 412 reloads the deal someone else changed. */
export function useUpdateDeal(deal: Pick<Deal, "id" | "version" | "pipeline_id">) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DealUpdate) =>
      unwrap(api.PATCH("/api/v1/deals/{deal_id}", {
        params: { path: { deal_id: deal.id } },
        headers: { "If-Match": `"${deal.version}"` },
        body,
      })),
    onSuccess: (updated) => client.setQueryData(dealKey(deal.id), updated),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) client.invalidateQueries({ queryKey: dealKey(deal.id) });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["pipelines", deal.pipeline_id, "board"] }),
  });
}
