import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useDebounced } from "@/lib/use-debounced";
import { useProducts, useProductSearch, useProductsById } from "../api/products";
import { ProductCard } from "./product-card";

/** Every product, or the ones a search finds by meaning ("warm socks for hiking"), best first. */
export function ProductBrowser({ initialQuery = "" }: { initialQuery?: string }) {
  const [search, setSearch] = useState(initialQuery);
  const [inStock, setInStock] = useState(false);
  const q = useDebounced(search.trim());
  return (
    <>
      <form className="filters" role="search" aria-label="Product search" onSubmit={(e) => e.preventDefault()}>
        <label className="inline-field grow">Search products
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, SKU or what it is for" />
        </label>
        {!q && <label className="checkbox-field"><input type="checkbox" checked={inStock} onChange={(e) => setInStock(e.target.checked)} /> In stock only</label>}
      </form>
      {q ? <SearchResults q={q} /> : <AllProducts inStock={inStock} />}
    </>
  );
}

function AllProducts({ inStock }: { inStock: boolean }) {
  const products = useProducts(inStock ? { in_stock: true } : {});
  if (products.isPending) return <Spinner label="Loading products…" />;
  if (products.error) return <ErrorMessage error={products.error} onRetry={() => products.refetch()} />;
  const items = products.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <EmptyState title="No products."><p>Connect a catalogue source in Settings to sync your shop.</p></EmptyState>;
  return (
    <>
      <div className="product-grid">{items.map((p) => <ProductCard key={p.id} product={p} />)}</div>
      {products.hasNextPage && (
        <div className="load-more"><button type="button" className="button button-secondary" disabled={products.isFetchingNextPage} onClick={() => products.fetchNextPage()}>Show more products</button></div>
      )}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const search = useProductSearch(q);
  const hits = search.data?.items ?? [];
  const products = useProductsById(hits.map((h) => h.id));
  if (search.isPending) return <Spinner label="Searching…" />;
  if (search.error) return <ErrorMessage error={search.error} onRetry={() => search.refetch()} />;
  if (hits.length === 0) return <EmptyState title={`No products match "${q}".`}><p>Try other words: the search understands meaning, not just names.</p></EmptyState>;
  return (
    <>
      <p role="status" className="muted">{hits.length} product{hits.length === 1 ? "" : "s"}, best match first</p>
      <div className="product-grid">
        {hits.map((hit, i) => {
          const product = products[i];
          if (product?.data) return <ProductCard key={hit.id} product={product.data} snippet={hit.snippet} />;
          if (product?.error) return <ErrorMessage key={hit.id} error={product.error} />;
          return <Spinner key={hit.id} label={`Loading ${hit.title}…`} />;
        })}
      </div>
    </>
  );
}
