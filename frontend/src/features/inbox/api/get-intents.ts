import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** The intent taxonomy, for the filter; it changes only with a new model. */
export const intentsQuery = queryOptions({
  queryKey: ["ai", "intents"],
  queryFn: () => unwrap(api.GET("/api/v1/ai/intents")),
  staleTime: 60 * 60_000,
});

export function useIntents() {
  return useQuery(intentsQuery);
}
