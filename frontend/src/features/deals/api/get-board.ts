import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const boardKey = (pipelineId: string) => ["pipelines", pipelineId, "board"] as const;

export const boardQuery = (pipelineId: string) =>
  queryOptions({
    queryKey: boardKey(pipelineId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/pipelines/{pipeline_id}/board", {
        params: { path: { pipeline_id: pipelineId }, query: { limit: 50 } },
      })),
  });

export function useBoard(pipelineId: string | undefined) {
  return useQuery({ ...boardQuery(pipelineId ?? ""), enabled: Boolean(pipelineId) });
}
