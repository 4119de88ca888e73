import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Contact, DuplicatePage } from "../types";
import { contactKey } from "./get-contact";
import { duplicatesKey, withoutContact } from "./list-duplicates";

export interface MergeInput {
  /** The contact that stays. */
  keep: Contact;
  /** The contact merged into `keep`, then deleted. */
  other: Contact;
}

/**
 * A merge (or its undo) moves emails, phones, deals and activities between two contacts: every
 * list, board and timeline that shows them may be out of date.
 */
export function refreshAfterMerge(client: QueryClient) {
  for (const key of ["contacts", "deals", "pipelines", "activities", "timeline"]) {
    client.invalidateQueries({ queryKey: [key] });
  }
}

/**
 * Merges `other` into `keep`. `keep`'s version goes in If-Match: if someone edited it since the
 * rep read the pair, the API refuses rather than merging into a record the rep has not seen.
 */
export function useMergeContacts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ keep, other }: MergeInput) =>
      unwrap(api.POST("/api/v1/contacts/{contact_id}/merge", {
        params: { path: { contact_id: keep.id } },
        headers: { "If-Match": `"${keep.version}"` },
        body: { other_id: other.id },
      })),
    onSuccess: (result, { other }) => {
      client.setQueryData(contactKey(result.contact.id), result.contact);
      // Gone from the screen now, not after the refetch below.
      client.setQueryData<InfiniteData<DuplicatePage>>(duplicatesKey, (data) => withoutContact(data, other.id));
    },
    onSettled: () => refreshAfterMerge(client),
  });
}
