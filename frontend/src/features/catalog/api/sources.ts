import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

// Applied changes refresh health at once (use-live-catalog.ts); failures and waiting deliveries
// publish no event, so health still polls, slowly.
const HEALTH_REFRESH = 30_000;

export function useSources(enabled: boolean) {
  return useQuery({ queryKey: ["catalog", "sources"], queryFn: () => unwrap(api.GET("/api/v1/catalog/sources", { params: { query: { limit: 50 } } })), enabled });
}

export function useSourceHealth(id: string) {
  return useQuery({
    queryKey: ["catalog", "sources", id, "health"],
    queryFn: () => unwrap(api.GET("/api/v1/catalog/sources/{source_id}/health", { params: { path: { source_id: id } } })),
    refetchInterval: HEALTH_REFRESH,
  });
}

/** The newest deliveries, or only the failed ones with why. */
export function useSourceEvents(id: string, failed: boolean) {
  return useQuery({
    queryKey: ["catalog", "sources", id, "events", failed],
    queryFn: () => unwrap(api.GET("/api/v1/catalog/sources/{source_id}/events", {
      params: { path: { source_id: id }, query: { limit: 10, status: failed ? "failed" : undefined } },
    })),
    refetchInterval: HEALTH_REFRESH,
  });
}

/** After "Poll now" the poll runs in the worker within seconds; a refused one publishes no event, so health
 * is read again a few times soon after, not only at the next 30-second refresh. */
export const AFTER_POLL_REREADS_MS = [2_000, 6_000, 15_000];

/** Queue a poll now, or with `full` a reconciliation: everything fetched, what vanished tombstoned. */
export function usePollNow(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (full: boolean) => unwrap(api.POST("/api/v1/catalog/sources/{source_id}/poll", { params: { path: { source_id: id }, query: { full } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["catalog", "sources"] });
      for (const ms of AFTER_POLL_REREADS_MS) {
        setTimeout(() => void client.invalidateQueries({ queryKey: ["catalog", "sources", id] }), ms);
      }
    },
  });
}
