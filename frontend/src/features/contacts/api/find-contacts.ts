import { useQuery } from "@tanstack/react-query";
import type { ComboOption } from "@/components/ui/combobox";
import { api, unwrap } from "@/lib/api/client";
import { fullName } from "@/lib/format";
import { useDebounced } from "@/lib/use-debounced";

const PICKER_LIMIT = 20;

/**
 * Contacts matching `text` (name, email or phone, the list API's `q`) as picker options. Only the
 * text as typed now has options: while the debounce settles or the search runs the list is empty
 * and loading, so a quick Enter cannot pick a match for an older text.
 */
export function useContactPicker(text: string, enabled: boolean): { options: ComboOption[]; loading: boolean } {
  const q = useDebounced(text.trim(), 250);
  const query = useQuery({
    queryKey: ["contacts", "list", "picker", q],
    queryFn: async (): Promise<ComboOption[]> => {
      const page = await unwrap(api.GET("/api/v1/contacts", { params: { query: { q: q || undefined, limit: PICKER_LIMIT } } }));
      return page.items.map((c) => ({ value: c.id, label: fullName(c), detail: c.emails[0] ?? c.phones[0] ?? undefined }));
    },
    enabled: enabled && q === text.trim(),
  });
  const current = q === text.trim();
  return { options: current ? query.data ?? [] : [], loading: !current || query.isFetching };
}
