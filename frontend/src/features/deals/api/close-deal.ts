import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Deal } from "../types";
import { dealKey } from "./get-deal";

type Outcome = { outcome: "won" } | { outcome: "lost"; reason: string };

/** Marks a deal won, or lost with a reason; the board and the deal refresh afterwards. */
export function useCloseDeal(deal: Pick<Deal, "id" | "version" | "pipeline_id">) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Outcome) => {
      const init = { params: { path: { deal_id: deal.id } }, headers: { "If-Match": `"${deal.version}"` } };
      return input.outcome === "won"
        ? unwrap(api.POST("/api/v1/deals/{deal_id}/won", init))
        : unwrap(api.POST("/api/v1/deals/{deal_id}/lost", { ...init, body: { reason: input.reason } }));
    },
    onSuccess: (updated) => client.setQueryData(dealKey(deal.id), updated),
    onSettled: () => {
      client.invalidateQueries({ queryKey: ["pipelines", deal.pipeline_id, "board"] });
      client.invalidateQueries({ queryKey: dealKey(deal.id) });
    },
  });
}
