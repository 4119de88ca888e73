import { type FormEvent, useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { formatDateTime } from "@/lib/format";
import { useUpdateSource } from "../api/save-catalog-source";
import { generateSecret, makesOwnSecret, SECRET_HINTS } from "../source-form-logic";
import type { CatalogSource } from "../source-types";

/**
 * A new webhook secret. The old one keeps verifying deliveries for a grace period (the server's
 * `previous_secret_expires_at`), so deliveries already signed or in the shop's retry queue still land.
 */
export function RotateSourceSecret({ source, onDone, onCancel }: { source: CatalogSource; onDone: (message: string) => void; onCancel: () => void }) {
  const update = useUpdateSource(source.id);
  const own = makesOwnSecret(source.kind);
  const [secret, setSecret] = useState(() => (own ? generateSecret() : ""));
  const [problem, setProblem] = useState("");
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (secret.length < 8) return setProblem("At least 8 characters.");
    if (own && !secret.startsWith("whsec_")) return setProblem("Standard Webhooks secrets start with whsec_: use Generate.");
    setProblem("");
    const saved = await update.mutateAsync({ webhook_secret: secret }).catch(() => null);
    if (!saved) return;
    onDone(saved.previous_secret_expires_at
      ? `Secret rotated for ${saved.name}. The old one stays valid until ${formatDateTime(saved.previous_secret_expires_at)}.`
      : `Secret set for ${saved.name}.`);
  };

  return (
    <form className="record-form rotate-secret" onSubmit={submit} noValidate aria-label={`Rotate the secret of ${source.name}`}>
      <div className="field">
        <label htmlFor={id}>New webhook secret</label>
        <input id={id} type={own ? "text" : "password"} autoComplete="off" spellCheck={false} value={secret}
          aria-invalid={problem ? true : undefined} aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ""}`}
          onChange={(e) => setSecret(e.target.value)} />
        <small id={`${id}-hint`} className="field-hint">
          {SECRET_HINTS[source.kind]} {own ? "Copy it into the shop now: once saved it is never shown again." : ""}
        </small>
        {problem && <small id={`${id}-error`} className="field-error">{problem}</small>}
      </div>
      {update.error ? <ErrorMessage error={update.error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={update.isPending}>Save new secret</button>
        {own && <button type="button" className="button button-secondary" onClick={() => setSecret(generateSecret())}>Generate another</button>}
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
