import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { ApiError } from "@/lib/problem";
import { useCreateSource, useUpdateSource } from "../api/save-catalog-source";
import {
  createBody, CREDENTIAL_HINTS, generateSecret, makesOwnSecret, POLLABLE, SECRET_HINTS, serverFieldErrors, SOURCE_KIND_LABELS, sourceSchema,
  updateBody, valuesFromSource, type SourceValues,
} from "../source-form-logic";
import type { CatalogSource, SourceKind } from "../source-types";

interface Props {
  /** The source being edited; none for a new one. Its kind and secret do not change here. */
  source?: CatalogSource;
  onDone: (saved: CatalogSource, note?: string) => void;
  onCancel: () => void;
}

/** Create or edit a catalogue source: webhook secret (new sources), poll URL and write-only poll credentials. */
export function SourceForm({ source, onDone, onCancel }: Props) {
  const create = useCreateSource();
  const update = useUpdateSource(source?.id ?? "");
  const save = source ? update : create;
  const form = useForm<SourceValues>({ resolver: zodResolver(sourceSchema), defaultValues: valuesFromSource(source) });
  const { errors, isSubmitting } = form.formState;
  const kind = form.watch("kind") as SourceKind;
  const secret = form.watch("webhook_secret");

  // Field-level problems from the server (problem+json `errors`) show under their fields.
  useEffect(() => {
    if (!(save.error instanceof ApiError)) return;
    for (const [field, message] of Object.entries(serverFieldErrors(save.error.problem.errors))) {
      form.setError(field as keyof SourceValues, { message });
    }
  }, [save.error, form]);

  const submit = form.handleSubmit(async (values) => {
    if (source) {
      const body = updateBody(source, values);
      if (Object.keys(body).length === 0) return onDone(source, "Nothing changed.");
      const saved = await update.mutateAsync(body).catch(() => null);
      if (saved) onDone(saved);
      return;
    }
    const saved = await create.mutateAsync(createBody(values)).catch(() => null);
    if (saved) onDone(saved, values.webhook_secret && makesOwnSecret(values.kind) ? "Give the shop's webhook sender the secret you generated." : undefined);
  });

  const credentialsStored = Boolean(source?.has_poll_credentials);
  return (
    <form className="record-form source-form" onSubmit={submit} noValidate aria-label={source ? `Edit ${source.name}` : "New catalogue source"}>
      <div className="form-grid">
        <Field label="Name" error={errors.name?.message}><input type="text" autoFocus {...form.register("name")} /></Field>
        {source ? null : (
          <Field label="Kind" hint="How the shop sends changes. It cannot change later.">
            <select {...form.register("kind")}>
              {Object.entries(SOURCE_KIND_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </Field>
        )}
        <Field label="Currency" error={errors.currency?.message} hint="For prices the shop sends without one (Shopify, WooCommerce).">
          <input type="text" maxLength={3} autoCapitalize="characters" {...form.register("currency")} />
        </Field>
        <label className="checkbox-field"><input type="checkbox" {...form.register("enabled")} /> Enabled</label>
      </div>

      {source ? null : (
        <fieldset className="form-section">
          <legend>Webhooks</legend>
          <div className="form-grid">
            <Field label="Webhook secret" error={errors.webhook_secret?.message} hint={`${SECRET_HINTS[kind]} Write-only: never shown again once saved.`}>
              <input type={makesOwnSecret(kind) ? "text" : "password"} autoComplete="off" spellCheck={false} {...form.register("webhook_secret")} />
            </Field>
            {makesOwnSecret(kind) && (
              <div className="button-row">
                <button type="button" className="button button-secondary" onClick={() => form.setValue("webhook_secret", generateSecret(), { shouldValidate: true })}>
                  Generate a secret
                </button>
              </div>
            )}
          </div>
          {makesOwnSecret(kind) && secret && <p className="muted">Copy this secret into the shop before saving: it is not shown again.</p>}
        </fieldset>
      )}

      <fieldset className="form-section">
        <legend>Polling (the fallback when webhooks are missed)</legend>
        {POLLABLE.includes(source?.kind ?? kind) ? (
          <div className="form-grid">
            <Field label="Poll URL" error={errors.poll_url?.message} hint="Blank: webhooks only, no polling.">
              <input type="url" inputMode="url" {...form.register("poll_url")} />
            </Field>
            <Field label="Poll credentials" error={errors.poll_credentials?.message}
              hint={`${CREDENTIAL_HINTS[source?.kind ?? kind]} ${credentialsStored ? "Set. Type new ones to replace them; leave blank to keep them." : "Not set."}`}>
              <input type="password" autoComplete="new-password" {...form.register("poll_credentials")} />
            </Field>
            <Field label="Poll every (minutes)" error={errors.poll_interval_minutes?.message}>
              <input type="number" min={0.5} max={1440} step="any" {...form.register("poll_interval_minutes", { valueAsNumber: true })} />
            </Field>
          </div>
        ) : <p className="muted">{SOURCE_KIND_LABELS[source?.kind ?? kind]} sources only take webhooks; a daily reconciliation needs a pollable kind.</p>}
      </fieldset>

      {save.error ? <ErrorMessage error={save.error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{source ? "Save source" : "Create source"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
