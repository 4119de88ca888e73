import { useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { useMe } from "@/features/auth/api/get-me";
import { CompaniesTable } from "@/features/companies/components/companies-table";
import { CompanyForm } from "@/features/companies/components/company-form";
import { DeletedCompanyNotice } from "@/features/companies/components/deleted-company-notice";
import { ExportButton } from "@/features/import-export/components/export-button";
import { ImportPanel } from "@/features/import-export/components/import-panel";
import { useDebounced } from "@/lib/use-debounced";

export function CompaniesRoute() {
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  // Set by the company page after a delete, so the way back is one click away.
  const deleted = (location.state as { deleted?: { id: string; name: string } } | null)?.deleted;
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  return (
    <div className="page">
      <header className="page-header">
        <h1>Companies</h1>
        <div className="page-actions">
          <ExportButton path="/api/v1/companies/export.csv" query={{ q: q || undefined, sort: "name" }} filename="companies.csv"
            title="Downloads the companies this list shows, with its search" />
          <button type="button" className="button button-secondary" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
            Import CSV
          </button>
          <button type="button" className="button button-primary" aria-expanded={creating} onClick={() => setCreating((v) => !v)}>
            New company
          </button>
        </div>
      </header>
      {deleted && (
        <DeletedCompanyNotice company={deleted} canRestore={me.data?.role === "manager" || me.data?.role === "admin"}
          onRestored={(c) => navigate(`/companies/${c.id}`)} />
      )}
      {creating && (
        <section className="card" aria-label="New company">
          <CompanyForm onCreated={(c) => navigate(`/companies/${c.id}`)} onCancel={() => setCreating(false)} />
        </section>
      )}
      {importing && <ImportPanel objectType="companies" onClose={() => setImporting(false)} />}
      <div className="filters" role="search">
        <label className="inline-field grow">
          Search
          <input type="search" value={search} placeholder="Name or domain" onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <CompaniesTable q={q || undefined} />
    </div>
  );
}
