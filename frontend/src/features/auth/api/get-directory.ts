import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** Active colleagues: to show and pick record owners. */
export const directoryQuery = queryOptions({
  queryKey: ["users", "directory"],
  queryFn: () => unwrap(api.GET("/api/v1/users/directory")),
  staleTime: 5 * 60_000,
});

export function useDirectory() {
  return useQuery(directoryQuery);
}
