import { useState } from "react";
import { useNavigate } from "react-router";
import { CompaniesTable } from "@/features/companies/components/companies-table";
import { CompanyForm } from "@/features/companies/components/company-form";
import { useDebounced } from "@/lib/use-debounced";

export function CompaniesRoute() {
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  return (
    <div className="page">
      <header className="page-header">
        <h1>Companies</h1>
        <button type="button" className="button button-primary" aria-expanded={creating} onClick={() => setCreating((v) => !v)}>
          New company
        </button>
      </header>
      {creating && (
        <section className="card" aria-label="New company">
          <CompanyForm onCreated={(c) => navigate(`/companies/${c.id}`)} onCancel={() => setCreating(false)} />
        </section>
      )}
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
