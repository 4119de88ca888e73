import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ComboOption } from "@/components/ui/combobox";
import { api, unwrap } from "@/lib/api/client";
import { fullName } from "@/lib/format";
import { useDebounced } from "@/lib/use-debounced";

const PICKER_LIMIT = 20;

/** Contacts matching `text`, as picker options (the contacts list API, searched by name or email). */
export function useContactOptions(text: string, enabled: boolean) {
  const q = useDebounced(text.trim(), 250);
  return useQuery({
    queryKey: ["contacts", "list", "picker", q],
    queryFn: async (): Promise<ComboOption[]> => {
      const page = await unwrap(api.GET("/api/v1/contacts", { params: { query: { q: q || undefined, limit: PICKER_LIMIT } } }));
      return page.items.map((c) => ({ value: c.id, label: fullName(c), detail: c.emails[0] ?? undefined }));
    },
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Companies matching `text`, as picker options. */
export function useCompanyOptions(text: string, enabled: boolean) {
  const q = useDebounced(text.trim(), 250);
  return useQuery({
    queryKey: ["companies", "list", "picker", q],
    queryFn: async (): Promise<ComboOption[]> => {
      const page = await unwrap(api.GET("/api/v1/companies", { params: { query: { q: q || undefined, sort: "name", limit: PICKER_LIMIT } } }));
      return page.items.map((c) => ({ value: c.id, label: c.name, detail: c.domain ?? undefined }));
    },
    enabled,
    placeholderData: keepPreviousData,
  });
}
