import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { Spinner } from "@/components/ui/spinner";
import { formatDate, fullName } from "@/lib/format";
import { useContacts } from "../api/list-contacts";
import { LIFECYCLE_LABELS, type ContactFilters } from "../types";

interface Props {
  filters: ContactFilters;
  ownerNames: Record<string, string>;
  emptyHint?: string;
  /** Name, email and stage only: for a table inside another record's page. */
  compact?: boolean;
}

export function ContactsTable({ filters, ownerNames, emptyHint, compact = false }: Props) {
  const contacts = useContacts(filters);
  if (contacts.isPending) return <Spinner label="Loading contacts…" />;
  if (contacts.error) return <ErrorMessage error={contacts.error} onRetry={() => contacts.refetch()} />;
  const rows = contacts.data.pages.flatMap((p) => p.items);
  if (rows.length === 0) {
    return <EmptyState title={filters.q ? `No contacts match “${filters.q}”.` : "No contacts yet."}>{emptyHint && <p>{emptyHint}</p>}</EmptyState>;
  }
  return (
    <>
      <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            {!compact && <th scope="col">Phone</th>}
            <th scope="col">Stage</th>
            {!compact && <th scope="col">Owner</th>}
            {!compact && <th scope="col">Updated</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <th scope="row" data-label="Name"><Link to={`/contacts/${c.id}`}>{fullName(c)}</Link></th>
              <td data-label="Email">{c.emails[0] ?? ""}</td>
              {!compact && <td data-label="Phone">{c.phones[0] ?? ""}</td>}
              <td data-label="Stage"><span className={`badge badge-${c.lifecycle_stage}`}>{LIFECYCLE_LABELS[c.lifecycle_stage]}</span></td>
              {!compact && <td data-label="Owner">{c.owner_id ? (ownerNames[c.owner_id] ?? "") : "Unassigned"}</td>}
              {!compact && <td data-label="Updated">{formatDate(c.updated_at)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <LoadMore hasMore={contacts.hasNextPage} loading={contacts.isFetchingNextPage} onLoadMore={() => contacts.fetchNextPage()} />
    </>
  );
}
