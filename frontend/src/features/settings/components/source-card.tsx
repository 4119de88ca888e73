import type { ReactNode } from "react";
import { formatDateTime } from "@/lib/format";
import { makesOwnSecret, previousSecretValid, SOURCE_KIND_LABELS, sourceWebhookUrl } from "../source-form-logic";
import type { CatalogSource } from "../source-types";
import { WebhookUrl } from "./webhook-url";

interface Props {
  source: CatalogSource;
  origin: string;
  onEdit: () => void;
  onRotate: () => void;
  /** The sync health panel, from the catalogue (the settings screen composes the two). */
  health?: ReactNode;
  /** An open edit or rotate form, in place of the buttons' result. */
  children?: ReactNode;
}

const setOrNot = (set: boolean) => (set ? "Set" : "Not set");

/** One catalogue source: how changes arrive, which secrets are set (never their values), where the shop posts. */
export function SourceCard({ source, origin, onEdit, onRotate, health, children }: Props) {
  const headingId = `source-${source.id}`;
  return (
    <section className="card source-settings-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>{source.name}</h2>
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={onEdit} aria-label={`Edit ${source.name}`}>Edit</button>
          <button type="button" className="button button-secondary" onClick={onRotate} aria-label={`Rotate the secret of ${source.name}`}>Rotate secret</button>
        </div>
      </header>
      {children}
      <dl className="details">
        <dt>Kind</dt>
        <dd>{SOURCE_KIND_LABELS[source.kind]}</dd>
        <dt>Status</dt>
        <dd>{source.enabled ? "Enabled" : "Disabled: deliveries are refused and nothing is polled"}</dd>
        <dt>Currency</dt>
        <dd>{source.currency}</dd>
        <dt>Webhook secret</dt>
        <dd>
          {setOrNot(source.has_webhook_secret)}
          {!source.has_webhook_secret && makesOwnSecret(source.kind) ? ": deliveries cannot be verified until one is set" : ""}
        </dd>
        {source.previous_secret_expires_at && (
          <>
            <dt>Previous secret</dt>
            <dd>
              {previousSecretValid(source)
                ? `Still valid until ${formatDateTime(source.previous_secret_expires_at)}`
                : `Expired ${formatDateTime(source.previous_secret_expires_at)}`}
            </dd>
          </>
        )}
        <dt>Poll URL</dt>
        <dd>{source.poll_url ?? "None: webhooks only"}</dd>
        {source.poll_url && (
          <>
            <dt>Poll credentials</dt>
            <dd>{setOrNot(source.has_poll_credentials)}</dd>
            <dt>Polled every</dt>
            <dd>{formatInterval(source.poll_interval_seconds)}</dd>
            <dt>Last full reconciliation</dt>
            <dd>{source.last_reconciled_at ? formatDateTime(source.last_reconciled_at) : "Never"}</dd>
          </>
        )}
      </dl>
      <WebhookUrl url={sourceWebhookUrl(source, origin)} label="Webhook URL to paste into the shop" />
      {health}
    </section>
  );
}

function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
