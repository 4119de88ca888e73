import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ContactCreate } from "../types";

interface Input {
  body: ContactCreate;
  /** Save even when the email or phone is already on another contact (after the rep confirms). */
  allowDuplicate?: boolean;
}

export function useCreateContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, allowDuplicate }: Input) =>
      unwrap(api.POST("/api/v1/contacts", { params: { query: { allow_duplicate: allowDuplicate } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["contacts", "list"] }),
  });
}
