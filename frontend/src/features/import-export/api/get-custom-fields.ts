import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";

type ObjectType = "contact" | "company" | "deal";

/** The admin's custom fields of one object type, as import targets: `cf.<key>` -> label. */
export function useCustomFieldTargets(objectType: ObjectType) {
  return useQuery({
    queryKey: ["import-export", "custom-fields"],
    queryFn: async () => (await unwrap(api.GET("/api/v1/custom-fields", { params: { query: { limit: 200 } } }))).items,
    staleTime: 5 * 60_000,
    select: (fields): Record<string, string> =>
      Object.fromEntries(fields.filter((f) => f.object_type === objectType).map((f) => [`cf.${f.key}`, f.label])),
  });
}
