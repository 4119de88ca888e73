import { useInfiniteQuery, useQueries, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { fallbackInterval } from "../catalog-logic";
import { useStreamOpen } from "./use-stream-open";

// Changes arrive as live events (use-live-catalog.ts); these poll only while the stream is down.

export const productKey = (id: string) => ["products", id] as const;

export function useProducts(filter: { in_stock?: boolean }) {
  const refetchInterval = fallbackInterval(useStreamOpen());
  return useInfiniteQuery({
    queryKey: ["products", "list", filter],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/products", { params: { query: { ...filter, cursor: pageParam, limit: 30 } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}

/** Semantic and keyword search over products, best first (the search API's one page). */
export function useProductSearch(q: string) {
  return useQuery({
    queryKey: ["search", "product", q],
    queryFn: () => unwrap(api.GET("/api/v1/search", { params: { query: { q, types: "product", limit: 20 } } })),
    enabled: q.length > 0,
  });
}

/** The products a search found, each in full (variants, prices, stock). */
export function useProductsById(ids: string[]) {
  const refetchInterval = fallbackInterval(useStreamOpen());
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: productKey(id),
      queryFn: () => unwrap(api.GET("/api/v1/products/{product_id}", { params: { path: { product_id: id } } })),
      refetchInterval,
    })),
  });
}
