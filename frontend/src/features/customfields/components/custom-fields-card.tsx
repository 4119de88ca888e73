import { Fragment, useState } from "react";
import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { ApiError } from "@/lib/problem";
import { useCustomFields } from "../api/custom-fields";
import { changesFrom, displayValue, serverFieldErrors, toFormValues, type FormValues } from "../custom-field-logic";
import type { ObjectType } from "../types";
import { CustomFieldInput } from "./custom-field-input";

interface Props {
  objectType: ObjectType;
  /** The record's `custom_fields`. */
  values: Record<string, unknown>;
  /** Saves the changed values as the record's `custom_fields` (the page knows how to save its record). */
  onSave: (changes: Record<string, unknown>) => Promise<unknown>;
  /** The heading's id prefix, unique on the page. */
  id?: string;
}

/**
 * A record's custom fields, as an admin defined them in Settings; "Edit" turns them into a form.
 * Nothing is shown while no field is defined for this kind of record.
 */
export function CustomFieldsCard({ objectType, values, onSave, id = `${objectType}-custom-fields` }: Props) {
  const fields = useCustomFields(objectType);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = fields.data ?? [];
  const initial = toFormValues(list, values);
  const form = useForm<FormValues>({ values: initial });

  if (fields.error) return <ErrorMessage error={fields.error} onRetry={() => fields.refetch()} />;
  if (list.length === 0) return null;

  const submit = form.handleSubmit(async (typed) => {
    setError(null);
    const { changes, errors } = changesFrom(list, initial, typed);
    Object.entries(errors).forEach(([key, message]) => form.setError(key, { message }));
    if (Object.keys(errors).length) return;
    if (Object.keys(changes).length) {
      try {
        await onSave(changes);
      } catch (failure) {
        // The API names the field it refused: show its message there, the rest above the buttons.
        const byField = failure instanceof ApiError ? serverFieldErrors(failure.problem.errors) : {};
        Object.entries(byField).forEach(([key, message]) => form.setError(key, { message }));
        setError(failure);
        return;
      }
    }
    setSaved(true);
    setEditing(false);
  });

  return (
    <section className="card" aria-labelledby={id}>
      <header className="card-header">
        <h2 id={id}>{editing ? "Edit custom fields" : "Custom fields"}</h2>
        {!editing && (
          <button type="button" className="button button-secondary" aria-label="Edit custom fields"
            onClick={() => { setSaved(false); setError(null); form.reset(initial); setEditing(true); }}>Edit</button>
        )}
      </header>
      {!editing && saved && <p className="notice" role="status">Saved.</p>}
      {!editing ? (
        <dl className="details">
          {list.map((f) => (
            <Fragment key={f.id}>
              <dt>{f.label}</dt>
              <dd>{displayValue(f, values[f.key])}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <form className="record-form" onSubmit={submit} noValidate aria-label="Custom fields">
          <div className="form-grid">
            {list.map((f) => (
              <Field key={f.id} label={f.required ? `${f.label} (required)` : f.label} error={form.formState.errors[f.key]?.message}>
                <CustomFieldInput field={f} registration={form.register(f.key)} />
              </Field>
            ))}
          </div>
          {error != null && <ErrorMessage error={error} />}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Save</button>
            <button type="button" className="button button-ghost" onClick={() => setEditing(false)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
