import { formatMoney } from "@/lib/format";
import { ago, priceRange, STOCK_WORDS, stockLevel, variantLabel } from "../catalog-logic";
import type { Product } from "../types";

const money = (amount: string | null, currency: string) => formatMoneyExact(amount, currency);

/** Prices are quoted to the cent to customers, so they are shown to the cent here. */
function formatMoneyExact(amount: string | null, currency: string): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency, minimumFractionDigits: 2 }).format(Number(amount ?? 0));
  } catch {
    return formatMoney(amount, currency);
  }
}

/** A product with each variant's SKU, price and stock, and how fresh the data is. */
export function ProductCard({ product, snippet }: { product: Product; snippet?: string }) {
  const p = product;
  return (
    <article className="card product-card" aria-labelledby={`product-${p.id}`}>
      <div className="card-header">
        <h2 id={`product-${p.id}`}>{p.title}</h2>
        <span className="product-price">{priceRange(p.variants, money)}</span>
      </div>
      <p className="muted">
        {[p.vendor, p.product_type].filter(Boolean).join(" · ")}
        {p.status !== "active" && <span className="badge"> {p.status}</span>}
      </p>
      {snippet && <p className="product-snippet">{snippet}</p>}
      <div className="table-wrap">
        <table className="data-table variant-table">
          <caption className="visually-hidden">Variants of {p.title}</caption>
          <thead><tr><th scope="col">Variant</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Stock</th></tr></thead>
          <tbody>
            {p.variants.map((v) => {
              const level = stockLevel(v.stock);
              return (
                <tr key={v.id}>
                  <th scope="row" data-label="Variant">{variantLabel(v)}</th>
                  <td data-label="SKU"><code>{v.sku ?? ""}</code></td>
                  <td data-label="Price">
                    {money(v.price, v.currency)}
                    {v.compare_at_price && <> <s aria-label={`was ${money(v.compare_at_price, v.currency)}`}>{money(v.compare_at_price, v.currency)}</s></>}
                  </td>
                  <td data-label="Stock" className={`stock stock-${level}`}>{level === "untracked" ? STOCK_WORDS[level] : `${v.stock} · ${STOCK_WORDS[level]}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="product-freshness muted">
        Changed at the shop <time dateTime={p.source_updated_at}>{ago(p.source_updated_at)}</time> · synced <time dateTime={p.updated_at}>{ago(p.updated_at)}</time>
      </p>
    </article>
  );
}
