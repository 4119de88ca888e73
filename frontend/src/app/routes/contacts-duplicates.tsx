import { useQueries } from "@tanstack/react-query";
import { Link } from "react-router";
import { useDirectory } from "@/features/auth/api/get-directory";
import { companyQuery } from "@/features/companies/api/get-company";
import { useDuplicates } from "@/features/contacts/api/list-duplicates";
import { DuplicatePairs } from "@/features/contacts/components/duplicate-pairs";

/** Likely duplicate contacts, reached from the Contacts page. */
export function ContactsDuplicatesRoute() {
  const directory = useDirectory();
  const ownerNames = Object.fromEntries((directory.data ?? []).map((u) => [u.id, u.full_name || u.email]));
  const companyNames = useCompanyNamesOfPairs();

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Possible duplicates</h1>
          <p className="muted">Contacts you can see that share an email, a phone number (WhatsApp included) or a name few others have (or that and a company). Merge a pair to keep one record with everything on it.</p>
        </div>
        <Link className="button button-secondary" to="/contacts">All contacts</Link>
      </header>
      <DuplicatePairs ownerNames={ownerNames} companyNames={companyNames} />
    </div>
  );
}

/** Company names for the loaded pairs: one cached request per company, shared with the company pages. */
function useCompanyNamesOfPairs(): Record<string, string> {
  const duplicates = useDuplicates();
  const ids = new Set((duplicates.data?.pages ?? []).flatMap((p) => p.items.flatMap((pair) => pair.contacts.map((c) => c.company_id))));
  ids.delete(null);
  return useQueries({
    queries: [...ids].map((id) => companyQuery(id!)),
    combine: (results) => Object.fromEntries(results.flatMap((r) => (r.data ? [[r.data.id, r.data.name]] : []))),
  });
}
