import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** Pipelines and stages, for where a Lead Ads channel puts its deals. */
export function usePipelineChoices(enabled: boolean) {
  return useQuery({ queryKey: ["pipelines"], queryFn: () => unwrap(api.GET("/api/v1/pipelines")), enabled, staleTime: 60_000 });
}

/** People who can own the leads' contacts and deals. */
export function useOwnerChoices(enabled: boolean) {
  return useQuery({ queryKey: ["users", "directory"], queryFn: () => unwrap(api.GET("/api/v1/users/directory")), enabled, staleTime: 5 * 60_000 });
}
