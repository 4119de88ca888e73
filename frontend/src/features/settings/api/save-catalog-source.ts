import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { SourceCreate, SourceUpdate } from "../source-types";

// The catalogue page lists sources under this key too: a saved source shows there at once.
export const catalogSourcesKey = ["catalog", "sources"] as const;

export function useCreateSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SourceCreate) => unwrap(api.POST("/api/v1/catalog/sources", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: catalogSourcesKey }),
  });
}

/** Edits, and rotations: a new `webhook_secret` keeps the old one valid for a grace period. */
export function useUpdateSource(sourceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SourceUpdate) =>
      unwrap(api.PATCH("/api/v1/catalog/sources/{source_id}", { params: { path: { source_id: sourceId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: catalogSourcesKey }),
  });
}
