import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { formatDateTime } from "@/lib/format";
import { usePollNow, useSourceEvents, useSourceHealth } from "../api/sources";
import { ago, behindShop } from "../catalog-logic";
import type { Source } from "../types";

interface Props {
  source: Source;
  /** Inside another card (Settings › Catalogue sources): a sub-section under "Sync health", not a card of its own. */
  embedded?: boolean;
}

/** One source's sync health: freshness, counts, recent deliveries and failures, "poll now" and "full reconciliation". */
export function SourceHealthCard({ source, embedded = false }: Props) {
  const health = useSourceHealth(source.id);
  const [failedOnly, setFailedOnly] = useState(false);
  const events = useSourceEvents(source.id, failedOnly);
  const poll = usePollNow(source.id);
  const [notice, setNotice] = useState("");
  const noPoll = source.poll_url ? undefined : "This source has no poll URL: it only receives webhooks.";
  const queue = (full: boolean) => {
    setNotice("");
    poll.mutate(full, {
      onSuccess: () => setNotice(full ? "Full reconciliation queued: products the shop no longer has are removed." : "Poll queued: changes appear within a minute."),
    });
  };
  const Heading = embedded ? "h3" : "h2";
  const Sub = embedded ? "h4" : "h3";
  const Frame = embedded ? "div" : "section";
  return (
    <Frame className={embedded ? "source-sync" : "card source-card"} aria-label={embedded ? `Sync health of ${source.name}` : source.name}
      role={embedded ? "group" : undefined}>
      <div className="card-header">
        <Heading>{embedded ? "Sync health" : source.name}</Heading>
        <div className="button-row">
          <button type="button" className="button button-secondary button-small" disabled={Boolean(noPoll) || poll.isPending} title={noPoll}
            onClick={() => queue(false)}>
            Poll now
          </button>
          {embedded && (
            <button type="button" className="button button-secondary button-small" disabled={Boolean(noPoll) || poll.isPending} title={noPoll}
              onClick={() => queue(true)}>
              Full reconciliation
            </button>
          )}
        </div>
      </div>
      {noPoll && embedded && <p className="muted">{noPoll}</p>}
      <p role="status" className="live-line notice">{notice}</p>
      {poll.error ? <ErrorMessage error={poll.error} /> : null}
      <QueryState query={health} loadingLabel="Loading sync health…">
        {(h) => {
          // A delivery being applied right now is not trouble; one missing for a minute is.
          const behind = h.behind_because !== null && (h.freshness_lag_seconds ?? 0) >= 60;
          const bad = Boolean(h.last_poll_error) || h.events_24h.failed > 0 || !h.enabled || behind;
          return (
            <div className={bad ? "channel-health-bad" : "channel-health-ok"}>
              <Sub>Sync: {bad ? "needs attention" : "healthy"}</Sub>
              <dl className="details">
                <dt>Products</dt><dd>{h.live_products}</dd>
                <dt>Last webhook</dt><dd>{ago(h.last_webhook_at)}</dd>
                <dt>Last poll</dt><dd>{ago(h.last_successful_poll_at)}{h.last_poll_error ? ` · failed: ${h.last_poll_error}` : ""}</dd>
                <dt>Behind the shop by</dt><dd>{behindShop(h.freshness_lag_seconds, h.behind_because)}</dd>
                <dt>Deliveries (24 h)</dt><dd>{h.events_24h.processed} applied, {h.events_24h.failed} failed, {h.events_24h.pending} waiting, {h.events_24h.stale} stale{h.events_24h.refused ? `, ${h.events_24h.refused} refused (signature)` : ""}</dd>
              </dl>
            </div>
          );
        }}
      </QueryState>
      <div className="source-events">
        <div className="card-header">
          <Sub>{failedOnly ? "Recent failures" : "Recent deliveries"}</Sub>
          <label className="checkbox-field"><input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} /> Failures only</label>
        </div>
        <QueryState query={events} loadingLabel="Loading deliveries…">
          {(page) => page.items.length === 0 ? <p className="muted">{failedOnly ? "No failures." : "No deliveries yet."}</p> : (
            <ul className="record-list">
              {page.items.map((e) => (
                <li key={e.id} className={`source-event source-event-${e.status}`}>
                  <span className="badge">{e.status}</span> {e.topic ?? "update"} {e.external_id ? `· product ${e.external_id}` : ""}{" "}
                  <span className="muted">{formatDateTime(e.received_at)}</span>
                  {e.error && <p className="delivery-reason">{e.error}</p>}
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </div>
    </Frame>
  );
}
