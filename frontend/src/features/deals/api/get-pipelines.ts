import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const pipelinesQuery = queryOptions({
  queryKey: ["pipelines"],
  queryFn: () => unwrap(api.GET("/api/v1/pipelines")),
  staleTime: 5 * 60_000,
});

export function usePipelines() {
  return useQuery(pipelinesQuery);
}
