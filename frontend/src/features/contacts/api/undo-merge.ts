import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { contactKey } from "./get-contact";
import { refreshAfterMerge } from "./merge-contacts";

/** Puts both contacts back as they were before the merge; the pair shows up again. */
export function useUndoMerge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mergeId: string) =>
      unwrap(api.POST("/api/v1/merges/{merge_id}/undo", { params: { path: { merge_id: mergeId } } })),
    onSuccess: (primary) => client.setQueryData(contactKey(primary.id), primary),
    onSettled: () => refreshAfterMerge(client),
  });
}
