import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { QueryState } from "@/components/ui/query-state";
import { TimelineList } from "@/features/activities/components/timeline-list";
import { useDirectory } from "@/features/auth/api/get-directory";
import { useCompany } from "@/features/companies/api/get-company";
import { useUpdateCompany } from "@/features/companies/api/update-company";
import { CompanyDelete } from "@/features/companies/components/company-delete";
import { CompanyEditForm } from "@/features/companies/components/company-edit-form";
import type { Company } from "@/features/companies/types";
import { ContactForm } from "@/features/contacts/components/contact-form";
import { ContactsTable } from "@/features/contacts/components/contacts-table";
import { CustomFieldsCard } from "@/features/customfields/components/custom-fields-card";
import { usePipelines } from "@/features/deals/api/get-pipelines";
import { DealsOfRecord } from "@/features/deals/components/deals-of-record";

export function CompanyRoute() {
  const { companyId = "" } = useParams();
  const navigate = useNavigate();
  const company = useCompany(companyId);
  const directory = useDirectory();
  const pipelines = usePipelines();
  const [addingContact, setAddingContact] = useState(false);
  const [editing, setEditing] = useState(false);
  const ownerNames = Object.fromEntries((directory.data ?? []).map((u) => [u.id, u.full_name || u.email]));
  const stages = (pipelines.data ?? []).flatMap((p) => p.stages);
  const stageNames = Object.fromEntries(stages.map((s) => [s.id, s.name]));

  return (
    <div className="page">
      <QueryState query={company} loadingLabel="Loading the company…">
        {(c) => (
          <>
            <header className="page-header">
              <div>
                <h1>{c.name}</h1>
                <p className="muted">{[c.domain, c.industry, c.size && `${c.size} people`].filter(Boolean).join(" · ")}</p>
              </div>
              <div className="page-actions">
                <button type="button" className="button button-secondary" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
                  Edit company
                </button>
                <CompanyDelete company={c} onDeleted={() => navigate("/companies", { state: { deleted: { id: c.id, name: c.name } } })} />
              </div>
            </header>
            {editing && <CompanyEditForm company={c} onDone={() => setEditing(false)} />}
            <div className="record-layout">
              <div className="record-main">
                <section className="card" aria-labelledby="company-contacts">
                  <header className="card-header">
                    <h2 id="company-contacts">Contacts</h2>
                    <button type="button" className="button button-secondary" aria-expanded={addingContact}
                      onClick={() => setAddingContact((v) => !v)}>Add contact</button>
                  </header>
                  {addingContact && (
                    <ContactForm companyId={c.id} onCreated={(contact) => navigate(`/contacts/${contact.id}`)}
                      onCancel={() => setAddingContact(false)} />
                  )}
                  <ContactsTable filters={{ company_id: c.id }} ownerNames={ownerNames} compact />
                </section>
                <TimelineList subject={{ kind: "company", id: c.id }} stageNames={stageNames} />
              </div>
              <aside className="record-side">
                <section className="card" aria-labelledby="company-deals">
                  <h2 id="company-deals">Deals</h2>
                  <DealsOfRecord filter={{ company_id: c.id }} stages={stages} />
                </section>
                {c.address && <section className="card"><h2>Address</h2><p>{c.address}</p></section>}
                <CompanyCustomFields company={c} />
              </aside>
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}

function CompanyCustomFields({ company }: { company: Company }) {
  const update = useUpdateCompany(company);
  return <CustomFieldsCard objectType="company" values={company.custom_fields}
    onSave={(changes) => update.mutateAsync({ custom_fields: changes })} />;
}
