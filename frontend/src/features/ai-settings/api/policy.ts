import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Calibration, PolicyUpdate } from "../types";

const policyQuery = queryOptions({ queryKey: ["ai", "policy"], queryFn: () => unwrap(api.GET("/api/v1/ai/policy")) });

export function usePolicy() {
  return useQuery(policyQuery);
}

export function useUpdatePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyUpdate) => unwrap(api.PATCH("/api/v1/ai/policy", { body })),
    onSuccess: (policy) => client.setQueryData(policyQuery.queryKey, policy),
  });
}

export function useCalibration() {
  return useQuery({
    queryKey: ["ai", "calibration"],
    queryFn: async () => (await unwrap(api.GET("/api/v1/ai/calibration"))) as unknown as Calibration,
  });
}
