import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/problem";
import type { Contact, ContactUpdate } from "../types";
import { contactKey } from "./get-contact";

/**
 * Saves changes against the version the rep was looking at (If-Match). If someone saved in the
 * meantime the API answers 412: we reload their version so the rep sees what changed.
 */
export function useUpdateContact(contact: Pick<Contact, "id" | "version">) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ContactUpdate) =>
      unwrap(api.PATCH("/api/v1/contacts/{contact_id}", {
        params: { path: { contact_id: contact.id } },
        headers: { "If-Match": `"${contact.version}"` },
        body,
      })),
    onSuccess: (updated) => {
      client.setQueryData(contactKey(contact.id), updated);
      client.invalidateQueries({ queryKey: ["contacts", "list"] });
      client.invalidateQueries({ queryKey: ["timeline"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) client.invalidateQueries({ queryKey: contactKey(contact.id) });
    },
  });
}
