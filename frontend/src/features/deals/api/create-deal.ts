import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { DealCreate } from "../types";

export function useCreateDeal() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DealCreate) => unwrap(api.POST("/api/v1/deals", { body })),
    onSuccess: (deal) => {
      client.invalidateQueries({ queryKey: ["pipelines", deal.pipeline_id, "board"] });
      client.invalidateQueries({ queryKey: ["deals"] });
    },
  });
}
