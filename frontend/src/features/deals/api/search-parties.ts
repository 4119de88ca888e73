import { useQuery } from "@tanstack/react-query";
import type { ComboOption } from "@/components/ui/combobox";
import { api, unwrap } from "@/lib/api/client";
import { fullName } from "@/lib/format";
import { useDebounced } from "@/lib/use-debounced";

const PICKER_LIMIT = 20;

/**
 * What a picker shows: options only for the text as typed now. While the debounce settles or the
 * search runs it is "searching", never the previous text's options, so a quick Enter cannot pick
 * something the rep did not ask for.
 */
export interface PickerOptions {
  options: ComboOption[];
  loading: boolean;
}

function settled<T extends ComboOption>(text: string, q: string, query: { data?: T[]; isFetching: boolean }): { options: T[]; loading: boolean } {
  const current = q === text.trim();
  return { options: current ? query.data ?? [] : [], loading: !current || query.isFetching };
}

/** Contacts matching `text`, as picker options (the contacts list API, searched by name or email). */
export function useContactOptions(text: string, enabled: boolean): PickerOptions {
  const q = useDebounced(text.trim(), 250);
  const query = useQuery({
    queryKey: ["contacts", "list", "picker", q],
    queryFn: async (): Promise<ComboOption[]> => {
      const page = await unwrap(api.GET("/api/v1/contacts", { params: { query: { q: q || undefined, limit: PICKER_LIMIT } } }));
      return page.items.map((c) => ({ value: c.id, label: fullName(c), detail: c.emails[0] ?? undefined }));
    },
    enabled: enabled && q === text.trim(),
  });
  return settled(text, q, query);
}

/** Companies matching `text`, as picker options. */
export function useCompanyOptions(text: string, enabled: boolean): PickerOptions {
  const q = useDebounced(text.trim(), 250);
  const query = useQuery({
    queryKey: ["companies", "list", "picker", q],
    queryFn: async (): Promise<ComboOption[]> => {
      const page = await unwrap(api.GET("/api/v1/companies", { params: { query: { q: q || undefined, sort: "name", limit: PICKER_LIMIT } } }));
      return page.items.map((c) => ({ value: c.id, label: c.name, detail: c.domain ?? undefined }));
    },
    enabled: enabled && q === text.trim(),
  });
  return settled(text, q, query);
}
