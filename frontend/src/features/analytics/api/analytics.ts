import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { AnalyticsFilter } from "../types";

// The rollups are at most five minutes behind; a minute of staleness costs nothing here.
const options = { staleTime: 60_000, placeholderData: keepPreviousData } as const;

export function usePipelineAnalytics(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "pipeline", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/pipeline", { params: { query: f } })), ...options });
}

export function useDealAnalytics(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "deals", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/deals", { params: { query: f } })), ...options });
}

export function useRevenueByProduct(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "revenue", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/revenue-by-product", { params: { query: { ...f, limit: 10 } } })), ...options });
}

export function useMessageAnalytics(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "messages", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/messages", { params: { query: f } })), ...options });
}

export function useResponseTimes(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "response-times", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/response-times", { params: { query: f } })), ...options });
}

export function useAutomationFunnel(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "automation", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/automation", { params: { query: f } })), ...options });
}

export function useRepActivity(f: AnalyticsFilter) {
  return useQuery({ queryKey: ["analytics", "activity", f], queryFn: () => unwrap(api.GET("/api/v1/analytics/activity", { params: { query: f } })), ...options });
}

/** Teams, to filter by (managers and admins only: the API refuses reps). */
export function useTeams(enabled: boolean) {
  return useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")), enabled, staleTime: 5 * 60_000 });
}
