import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** Every channel's id, kind and name, for the channel filter; any role may read it. Under "channels"
 * so that a channel an admin adds or renames refreshes it with the settings list. */
export const channelNamesQuery = queryOptions({
  queryKey: ["channels", "directory"],
  queryFn: () => unwrap(api.GET("/api/v1/channels/directory")),
  staleTime: 5 * 60_000,
});

export function useChannelNames() {
  return useQuery(channelNamesQuery);
}
