import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export function useSources(enabled: boolean) {
  return useQuery({ queryKey: ["catalog", "sources"], queryFn: () => unwrap(api.GET("/api/v1/catalog/sources", { params: { query: { limit: 50 } } })), enabled });
}

export function useSourceHealth(id: string) {
  return useQuery({
    queryKey: ["catalog", "sources", id, "health"],
    queryFn: () => unwrap(api.GET("/api/v1/catalog/sources/{source_id}/health", { params: { path: { source_id: id } } })),
    refetchInterval: 10_000,
  });
}

/** The newest deliveries, or only the failed ones with why. */
export function useSourceEvents(id: string, failed: boolean) {
  return useQuery({
    queryKey: ["catalog", "sources", id, "events", failed],
    queryFn: () => unwrap(api.GET("/api/v1/catalog/sources/{source_id}/events", {
      params: { path: { source_id: id }, query: { limit: 10, status: failed ? "failed" : undefined } },
    })),
    refetchInterval: 10_000,
  });
}

export function usePollNow(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/catalog/sources/{source_id}/poll", { params: { path: { source_id: id }, query: { full: false } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["catalog", "sources"] }),
  });
}
