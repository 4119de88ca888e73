import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { Spinner } from "@/components/ui/spinner";
import { useCompanies } from "../api/list-companies";

export function CompaniesTable({ q }: { q?: string }) {
  const companies = useCompanies(q);
  if (companies.isPending) return <Spinner label="Loading companies…" />;
  if (companies.error) return <ErrorMessage error={companies.error} onRetry={() => companies.refetch()} />;
  const rows = companies.data.pages.flatMap((p) => p.items);
  if (rows.length === 0) return <EmptyState title={q ? `No companies match “${q}”.` : "No companies yet."} />;
  return (
    <>
      <table className="data-table">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Domain</th><th scope="col">Industry</th><th scope="col">Size</th></tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <th scope="row" data-label="Name"><Link to={`/companies/${c.id}`}>{c.name}</Link></th>
              <td data-label="Domain">{c.domain ?? ""}</td>
              <td data-label="Industry">{c.industry ?? ""}</td>
              <td data-label="Size">{c.size ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore hasMore={companies.hasNextPage} loading={companies.isFetchingNextPage} onLoadMore={() => companies.fetchNextPage()} />
    </>
  );
}
