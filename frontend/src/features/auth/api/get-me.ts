import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const meQuery = queryOptions({
  queryKey: ["users", "me"],
  queryFn: () => unwrap(api.GET("/api/v1/users/me")),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}
