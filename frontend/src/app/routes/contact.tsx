import { useState } from "react";
import { useParams } from "react-router";
import { QueryState } from "@/components/ui/query-state";
import { ActivityComposer } from "@/features/activities/components/activity-composer";
import { OpenTasks } from "@/features/activities/components/open-tasks";
import { TimelineList } from "@/features/activities/components/timeline-list";
import { useDirectory } from "@/features/auth/api/get-directory";
import { useCompany } from "@/features/companies/api/get-company";
import { useContact } from "@/features/contacts/api/get-contact";
import { useUpdateContact } from "@/features/contacts/api/update-contact";
import { ContactDetails } from "@/features/contacts/components/contact-details";
import { MergeWith } from "@/features/contacts/components/merge-with";
import type { Contact } from "@/features/contacts/types";
import { CustomFieldsCard } from "@/features/customfields/components/custom-fields-card";
import { DealsOfRecord } from "@/features/deals/components/deals-of-record";
import { NewDealForm } from "@/features/deals/components/new-deal-form";
import { usePipelines } from "@/features/deals/api/get-pipelines";
import { fullName } from "@/lib/format";

export function ContactRoute() {
  const { contactId = "" } = useParams();
  const contact = useContact(contactId);
  const company = useCompany(contact.data?.company_id);
  const directory = useDirectory();
  const pipelines = usePipelines();
  const [addingDeal, setAddingDeal] = useState(false);
  const defaultPipeline = pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0];
  const stageNames = Object.fromEntries((pipelines.data ?? []).flatMap((p) => p.stages).map((s) => [s.id, s.name]));

  return (
    <div className="page">
      <QueryState query={contact} loadingLabel="Loading the contact…">
        {(c) => {
          const owner = directory.data?.find((u) => u.id === c.owner_id);
          return (
            <>
              <header className="page-header">
                <div>
                  <h1>{fullName(c)}</h1>
                  <p className="muted">{[c.title, company.data?.name].filter(Boolean).join(" at ")}</p>
                </div>
              </header>
              <div className="record-layout">
                <div className="record-main">
                  <ActivityComposer links={{ contact_id: c.id, company_id: c.company_id ?? undefined }} />
                  <TimelineList subject={{ kind: "contact", id: c.id }} stageNames={stageNames} />
                </div>
                <aside className="record-side">
                  <ContactDetails contact={c} ownerName={owner?.full_name} companyName={company.data?.name} />
                  <ContactCustomFields contact={c} />
                  <MergeWith key={c.id} contact={c} />
                  <OpenTasks filter={{ contact_id: c.id }} />
                  <section className="card" aria-labelledby="contact-deals">
                    <header className="card-header">
                      <h2 id="contact-deals">Deals</h2>
                      <button type="button" className="button button-secondary" aria-expanded={addingDeal}
                        onClick={() => setAddingDeal((v) => !v)}>Add deal</button>
                    </header>
                    {addingDeal && defaultPipeline && (
                      <NewDealForm pipeline={defaultPipeline} contactId={c.id} companyId={c.company_id ?? undefined}
                        defaultTitle={`${fullName(c)} deal`} onDone={() => setAddingDeal(false)} />
                    )}
                    <DealsOfRecord filter={{ contact_id: c.id }} stages={(pipelines.data ?? []).flatMap((p) => p.stages)} />
                  </section>
                </aside>
              </div>
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

function ContactCustomFields({ contact }: { contact: Contact }) {
  const update = useUpdateContact(contact);
  return <CustomFieldsCard objectType="contact" values={contact.custom_fields}
    onSave={(changes) => update.mutateAsync({ custom_fields: changes })} />;
}
