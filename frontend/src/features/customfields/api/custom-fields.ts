import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { CustomField, CustomFieldCreate, CustomFieldUpdate, ObjectType } from "../types";

export const customFieldsKey = ["custom-fields"] as const;

/** Every definition (there are few): each record page picks its object type's, in order. */
export const customFieldsQuery = () =>
  queryOptions({
    queryKey: customFieldsKey,
    queryFn: async () => (await unwrap(api.GET("/api/v1/custom-fields", { params: { query: { limit: 200 } } }))).items,
    staleTime: 5 * 60_000,
  });

export function useCustomFields(objectType?: ObjectType) {
  return useQuery({
    ...customFieldsQuery(),
    select: (fields: CustomField[]) => (objectType ? fields.filter((f) => f.object_type === objectType) : fields)
      .slice().sort((a, b) => a.position - b.position || a.label.localeCompare(b.label)),
  });
}

export function useCreateCustomField() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomFieldCreate) => unwrap(api.POST("/api/v1/custom-fields", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: customFieldsKey }),
  });
}

export function useUpdateCustomField(fieldId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomFieldUpdate) =>
      unwrap(api.PATCH("/api/v1/custom-fields/{field_id}", { params: { path: { field_id: fieldId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: customFieldsKey }),
  });
}

export function useDeleteCustomField() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fieldId: string) =>
      unwrap(api.DELETE("/api/v1/custom-fields/{field_id}", { params: { path: { field_id: fieldId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: customFieldsKey }),
  });
}
