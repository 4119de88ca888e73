import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

/** "Today" is the rep's own day, so the browser's time zone goes along. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export const myTasksQuery = () =>
  queryOptions({
    queryKey: ["activities", "mine"],
    queryFn: () => unwrap(api.GET("/api/v1/activities/mine", { params: { query: { tz: localTimeZone(), limit: 100 } } })),
  });

export function useMyTasks() {
  return useQuery(myTasksQuery());
}
