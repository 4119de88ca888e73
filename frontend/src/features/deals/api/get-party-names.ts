import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { fullName } from "@/lib/format";

// The deal drawer names the deal's contact and company; a record the viewer may not read (404) keeps
// the plain "Open contact" link, so a failure here is no error on screen.
const NAME_STALE_MS = 60_000;

export function useContactName(contactId: string | null) {
  return useQuery({
    queryKey: ["deals", "party-name", "contact", contactId],
    queryFn: async () => fullName(await unwrap(api.GET("/api/v1/contacts/{contact_id}", { params: { path: { contact_id: contactId! } } }))),
    enabled: Boolean(contactId), staleTime: NAME_STALE_MS, retry: false,
  });
}

export function useCompanyName(companyId: string | null) {
  return useQuery({
    queryKey: ["deals", "party-name", "company", companyId],
    queryFn: async () => (await unwrap(api.GET("/api/v1/companies/{company_id}", { params: { path: { company_id: companyId! } } }))).name,
    enabled: Boolean(companyId), staleTime: NAME_STALE_MS, retry: false,
  });
}
