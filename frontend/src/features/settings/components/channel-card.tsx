import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { formatDateTime } from "@/lib/format";
import { useChannelHealth } from "../api/get-channel-health";
import { webhookUrl } from "../channel-form-logic";
import { INBOUND_LABELS, isMetaKind, KIND_LABELS, META_SECRET_LABELS, SECRET_LABELS, type Channel, type Inbound } from "../types";
import { WebhookUrl } from "./webhook-url";

interface Props {
  channel: Channel;
  origin: string;
  onEdit: () => void;
}

/** One channel: how mail gets in and out, which secrets are set, where to point the provider, health. */
export function ChannelCard({ channel, origin, onEdit }: Props) {
  const settings = channel.settings as { address?: string; inbound?: Inbound; smtp?: { host: string; port: number } | null };
  const url = webhookUrl(channel, origin);
  const headingId = `channel-${channel.id}`;
  return (
    <section className="card channel-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>{channel.name}</h2>
        <button type="button" className="button button-secondary" onClick={onEdit} aria-label={`Edit ${channel.name}`}>Edit</button>
      </header>
      {isMetaKind(channel.kind) ? <MetaDetails channel={channel} /> : (
      <dl className="details">
        <dt>Status</dt>
        <dd>{channel.enabled ? "Enabled" : "Disabled"}</dd>
        <dt>Address</dt>
        <dd>{settings.address}</dd>
        <dt>Incoming</dt>
        <dd>{settings.inbound ? INBOUND_LABELS[settings.inbound] : "—"}</dd>
        <dt>Outgoing</dt>
        <dd>{settings.smtp ? `${settings.smtp.host}:${settings.smtp.port}` : "No SMTP server: replies cannot be sent"}</dd>
        <dt>Secrets set</dt>
        <dd>{channel.secrets_set.length ? channel.secrets_set.map((s) => SECRET_LABELS[s] ?? s).join(", ") : "None"}</dd>
      </dl>
      )}
      {url && (
        <WebhookUrl url={url} label="Webhook URL to paste into the provider"
          hint={settings.inbound === "postmark" || settings.inbound === "sendgrid" ? "Replace PASSWORD with the webhook password you set." : undefined} />
      )}
      {url && isMetaKind(channel.kind) && <VerifyTokenHint set={channel.secrets_set.includes("verify_token")} />}
      <ChannelHealthPanel channelId={channel.id} />
    </section>
  );
}

function ChannelHealthPanel({ channelId }: { channelId: string }) {
  const health = useChannelHealth(channelId);
  if (health.isPending) return <Spinner label="Checking health…" />;
  if (health.error) return <ErrorMessage error={health.error} onRetry={() => health.refetch()} />;
  const h = health.data;
  // Replies waiting for another try count: the thread says "Retrying", and so must the channel.
  const troubled = Boolean(h.last_error) || Boolean(h.token_error) || h.outbound_failed > 0 || h.inbound_failed > 0
    || h.outbound_retrying > 0;
  return (
    <div className={`channel-health ${troubled ? "channel-health-bad" : "channel-health-ok"}`} aria-label="Health">
      <h3>Health: {troubled ? "needs attention" : "good"}</h3>
      <dl className="details">
        <dt>Last mail received</dt>
        <dd>{h.last_received_at ? formatDateTime(h.last_received_at) : "Never"}</dd>
        {h.last_polled_at && (<><dt>Last polled</dt><dd>{formatDateTime(h.last_polled_at)}</dd></>)}
        <dt>Last 24 hours</dt>
        <dd>{h.messages_in_24h} in, {h.messages_out_24h} out</dd>
        <dt>Replies waiting</dt>
        <dd>{h.outbound_queued}{h.outbound_retrying > 0 && `, ${h.outbound_retrying} being retried after a failed attempt`}</dd>
        <dt>Failed</dt>
        <dd>{h.outbound_failed} outgoing, {h.inbound_failed} incoming</dd>
        {h.last_error && (<><dt>Last error</dt><dd>{h.last_error} ({formatDateTime(h.last_error_at)})</dd></>)}
        {h.token_error && (<><dt>Access token</dt><dd>Refused by Meta: {h.token_error} ({formatDateTime(h.token_error_at)}). Paste a new one in Edit.</dd></>)}
      </dl>
    </div>
  );
}

/** What Meta channels are: the kind and the ids they answer for. */
function MetaDetails({ channel }: { channel: Channel }) {
  const s = channel.settings as { phone_number_id?: string; display_phone_number?: string; page_id?: string };
  return (
    <dl className="details">
      <dt>Kind</dt>
      <dd>{KIND_LABELS[channel.kind] ?? channel.kind}</dd>
      <dt>Status</dt>
      <dd>{channel.enabled ? "Enabled" : "Disabled"}</dd>
      {s.display_phone_number && (<><dt>Number</dt><dd>{s.display_phone_number} (id {s.phone_number_id})</dd></>)}
      {s.page_id && (<><dt>Page id</dt><dd>{s.page_id}</dd></>)}
      <dt>Secrets set</dt>
      <dd>{channel.secrets_set.length ? channel.secrets_set.map((k) => META_SECRET_LABELS[k] ?? k).join(", ") : "None"}</dd>
    </dl>
  );
}

/** Meta asks for the callback URL and a verify token together; the token is never shown again. */
function VerifyTokenHint({ set }: { set: boolean }) {
  return (
    <p className="muted">
      In Meta's app dashboard › Webhooks, paste this callback URL and, as the verify token, the phrase saved here
      {set ? " (set; type a new one in Edit to change it)." : " (not set yet: add it in Edit first, or Meta's check fails)."}
    </p>
  );
}
