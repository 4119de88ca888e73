import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

export const contactKey = (contactId: string) => ["contacts", contactId] as const;

export const contactQuery = (contactId: string) =>
  queryOptions({
    queryKey: contactKey(contactId),
    queryFn: () => unwrap(api.GET("/api/v1/contacts/{contact_id}", { params: { path: { contact_id: contactId } } })),
  });

export function useContact(contactId: string) {
  return useQuery(contactQuery(contactId));
}
