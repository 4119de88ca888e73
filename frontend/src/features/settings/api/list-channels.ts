import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const channelsKey = ["channels"] as const;

export const channelsQuery = queryOptions({
  queryKey: [...channelsKey, "list"],
  queryFn: () => unwrap(api.GET("/api/v1/channels", { params: { query: { limit: 100 } } })),
});

/** Admins only: others get a 403, so callers for everyone pass `enabled` by role. */
export function useChannels({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...channelsQuery, enabled });
}
