import { useQuery } from "@tanstack/react-query";
import type { ComboOption } from "@/components/ui/combobox";
import { api, unwrap } from "@/lib/api/client";
import { formatPrice } from "../line-items-logic";
import { useDebounced } from "@/lib/use-debounced";

/** A picked product variant: its ids and what the form pre-fills. */
export interface ProductChoice extends ComboOption {
  productId: string;
  variantId: string;
  price: string | null;
  currency: string;
}

/** Active products matching `text`, one option per variant, with SKU, price and stock to choose by. */
export function useProductOptions(text: string, enabled: boolean): { options: ProductChoice[]; loading: boolean } {
  const q = useDebounced(text.trim(), 250);
  const current = q === text.trim(); // never the previous text's options: a quick Enter must pick what was asked for
  const query = useQuery({
    queryKey: ["products", "list", "picker", q],
    queryFn: async (): Promise<ProductChoice[]> => {
      const page = await unwrap(api.GET("/api/v1/products", { params: { query: { q: q || undefined, status: "active", limit: 15 } } }));
      return page.items.flatMap((p) => p.variants.map((v) => ({
        value: `${p.id}:${v.id}`,
        label: v.title && p.variants.length > 1 ? `${p.title} — ${v.title}` : p.title,
        detail: [v.sku, v.price !== null ? formatPrice(v.price, v.currency) : null, v.stock !== null ? `${v.stock} in stock` : null]
          .filter(Boolean).join(" · "),
        productId: p.id, variantId: v.id, price: v.price, currency: v.currency,
      })));
    },
    enabled: enabled && current,
  });
  return { options: current ? query.data ?? [] : [], loading: !current || query.isFetching };
}
