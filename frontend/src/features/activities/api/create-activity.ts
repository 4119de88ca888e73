import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ActivityCreate } from "../types";

export function useCreateActivity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ActivityCreate) => unwrap(api.POST("/api/v1/activities", { body })),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["timeline"] });
      client.invalidateQueries({ queryKey: ["activities"] });
      // Logging a call, email or meeting moves the contact's "last contacted" date.
      client.invalidateQueries({ queryKey: ["contacts"] });
    },
  });
}
