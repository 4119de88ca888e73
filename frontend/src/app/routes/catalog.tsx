import { useSearchParams } from "react-router";
import { QueryState } from "@/components/ui/query-state";
import { useMe } from "@/features/auth/api/get-me";
import { useSources } from "@/features/catalog/api/sources";
import { useLiveCatalog } from "@/features/catalog/api/use-live-catalog";
import { ProductBrowser } from "@/features/catalog/components/product-browser";
import { SourceHealthCard } from "@/features/catalog/components/source-health";

/** The catalogue as synced: products for everyone, each source's sync health for admins. */
export function CatalogRoute() {
  const me = useMe();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  const isAdmin = me.data?.role === "admin";
  const sources = useSources(isAdmin);
  useLiveCatalog(); // prices and stock change on screen as the shop changes them
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Catalogue</h1>
          <p className="muted">Products, prices and stock as the AI quotes them</p>
        </div>
      </header>
      <div className="catalog-layout">
        <section aria-label="Products" className="catalog-products"><ProductBrowser key={q} initialQuery={q} /></section>
        {isAdmin && (
          <aside aria-label="Sync health" className="catalog-sources">
            <QueryState query={sources} loadingLabel="Loading sources…">
              {(page) => page.items.length === 0 ? <p className="muted">No catalogue sources.</p> : page.items.map((s) => <SourceHealthCard key={s.id} source={s} />)}
            </QueryState>
          </aside>
        )}
      </div>
    </div>
  );
}
