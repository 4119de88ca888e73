import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useDirectory } from "@/features/auth/api/get-directory";
import { ContactFiltersBar } from "@/features/contacts/components/contact-filters-bar";
import { ContactForm } from "@/features/contacts/components/contact-form";
import { ContactsTable } from "@/features/contacts/components/contacts-table";
import type { ContactFilters } from "@/features/contacts/types";
import { ExportButton } from "@/features/import-export/components/export-button";
import { ImportPanel } from "@/features/import-export/components/import-panel";
import { useDebounced } from "@/lib/use-debounced";

const KEYS = ["lifecycle_stage", "owner_id", "sort"] as const;

/** Filters live in the URL, so a filtered list survives a reload and can be shared. */
export function ContactsRoute() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const directory = useDirectory();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState(params.get("q") ?? "");
  const q = useDebounced(search.trim());

  const filters: ContactFilters = { q: q || undefined };
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) Object.assign(filters, { [key]: value });
  }
  if (params.get("unassigned") === "true") filters.unassigned = true;
  const setFilters = (next: ContactFilters) => {
    const entries = Object.entries({ ...next, q: search.trim() || undefined }).filter(([, v]) => v).map(([k, v]) => [k, String(v)]);
    setParams(Object.fromEntries(entries) as Record<string, string>, { replace: true });
  };
  const owners = (directory.data ?? []).map((u) => ({ id: u.id, name: u.full_name || u.email }));
  const ownerNames = Object.fromEntries(owners.map((o) => [o.id, o.name]));

  return (
    <div className="page">
      <header className="page-header">
        <h1>Contacts</h1>
        <div className="page-actions">
          <Link className="button button-secondary" to="/contacts/duplicates">Possible duplicates</Link>
          <ExportButton path="/api/v1/contacts/export.csv" query={{ ...filters }} filename="contacts.csv"
            title="Downloads the contacts this list shows, with its search and filters" />
          <button type="button" className="button button-secondary" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
            Import CSV
          </button>
          <button type="button" className="button button-primary" aria-expanded={creating} onClick={() => setCreating((v) => !v)}>
            New contact
          </button>
        </div>
      </header>
      {creating && (
        <section className="card" aria-label="New contact">
          <ContactForm onCreated={(c) => navigate(`/contacts/${c.id}`)} onCancel={() => setCreating(false)} />
        </section>
      )}
      {importing && <ImportPanel objectType="contacts" onClose={() => setImporting(false)} />}
      <ContactFiltersBar search={search} onSearch={setSearch} filters={filters} onChange={setFilters} owners={owners} />
      <ContactsTable filters={filters} ownerNames={ownerNames} emptyHint="Create one with “New contact”." />
    </div>
  );
}
