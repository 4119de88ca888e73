import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { useCustomFields, useDeleteCustomField } from "../api/custom-fields";
import { FIELD_TYPE_LABELS, OBJECT_TYPE_LABELS, type CustomField, type ObjectType } from "../types";
import { CustomFieldForm } from "./custom-field-form";

/** Settings > Custom fields: the extra fields of contacts, companies and deals. Admins only. */
export function CustomFieldDefinitions() {
  const [objectType, setObjectType] = useState<ObjectType>("contact");
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const fields = useCustomFields(objectType);
  const remove = useDeleteCustomField();

  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  return (
    <>
      <div className="page-actions">
        <div className="segmented" role="group" aria-label="Fields of">
          {(Object.keys(OBJECT_TYPE_LABELS) as ObjectType[]).map((t) => (
            <button key={t} type="button" className={t === objectType ? "segment segment-on" : "segment"} aria-pressed={t === objectType}
              onClick={() => { setObjectType(t); setEditing(null); setConfirming(null); }}>{OBJECT_TYPE_LABELS[t]}</button>
          ))}
        </div>
        <button type="button" className="button button-primary" aria-expanded={editing === "new"}
          onClick={() => { setNotice(""); setEditing(editing === "new" ? null : "new"); }}>New field</button>
      </div>
      <p role="status" className="live-line notice">{notice}</p>
      {editing === "new" && (
        <section className="card" aria-label="New custom field">
          <CustomFieldForm key={objectType} objectType={objectType} onDone={(f) => done(`Created ${f.label}.`)} onCancel={() => setEditing(null)} />
        </section>
      )}
      {remove.error && <ErrorMessage error={remove.error} />}
      <QueryState query={fields} loadingLabel="Loading custom fields…">
        {(list) => list.length === 0 ? (
          <EmptyState title={`No custom fields on ${OBJECT_TYPE_LABELS[objectType].toLowerCase()} yet.`} />
        ) : (
          <section className="card" aria-label={`Custom fields of ${OBJECT_TYPE_LABELS[objectType].toLowerCase()}`}>
            <ul className="custom-field-defs">
              {list.map((f) => editing === f.id ? (
                <li key={f.id}>
                  <CustomFieldForm objectType={objectType} field={f} onDone={(saved) => done(`Saved ${saved.label}.`)} onCancel={() => setEditing(null)} />
                </li>
              ) : (
                <li key={f.id} className="custom-field-def">
                  <Definition field={f} />
                  <div className="button-row">
                    {confirming === f.id ? (
                      <>
                        <span>Delete {f.label}? Values already saved on records stay, hidden.</span>
                        <button type="button" className="button button-danger button-small" disabled={remove.isPending}
                          onClick={() => remove.mutate(f.id, { onSuccess: () => { setConfirming(null); setNotice(`Deleted ${f.label}.`); } })}>
                          Confirm delete
                        </button>
                        <button type="button" className="button button-ghost button-small" onClick={() => setConfirming(null)}>Keep it</button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="button button-secondary button-small" aria-label={`Edit ${f.label}`}
                          onClick={() => { setNotice(""); setEditing(f.id); }}>Edit</button>
                        <button type="button" className="button button-ghost button-small" aria-label={`Delete ${f.label}`}
                          onClick={() => setConfirming(f.id)}>Delete</button>
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        )}
      </QueryState>
    </>
  );
}

function Definition({ field }: { field: CustomField }) {
  return (
    <div>
      <strong>{field.label}</strong>{field.required && <span className="badge">Required</span>}
      <p className="muted">
        {FIELD_TYPE_LABELS[field.field_type]} · key <code>{field.key}</code>
        {field.field_type === "select" && ` · ${field.options.map(String).join(", ")}`}
      </p>
    </div>
  );
}
