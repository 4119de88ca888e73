import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** Queues, workers, processes and schedules; refreshed every 10 s while on screen. */
export function useSystemStatus() {
  return useQuery({
    queryKey: ["system", "status"],
    queryFn: () => unwrap(api.GET("/api/v1/system/status")),
    refetchInterval: 10_000,
  });
}
