import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ImportJob } from "../types";

const POLL_MS = 1000;

export const importQuery = (importId: string) =>
  queryOptions({
    queryKey: ["imports", importId],
    queryFn: () => unwrap(api.GET("/api/v1/imports/{import_id}", { params: { path: { import_id: importId } } })),
    // The job commits every hundred rows; asking once a second shows it move until it ends.
    refetchInterval: (query) => {
      const status = (query.state.data as ImportJob | undefined)?.status;
      return status === "done" || status === "failed" ? false : POLL_MS;
    },
  });

export function useImport(importId: string | undefined) {
  return useQuery({ ...importQuery(importId ?? ""), enabled: Boolean(importId) });
}
