import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { formatDateTime } from "@/lib/format";
import { useDeadLetter, useDeadLetters, useDiscardDeadLetter, useReplayDeadLetter, useReplayMatching, type DeadLetterFilter } from "../api/dead-letters";
import type { DeadLetter } from "../types";

/** Jobs that failed for good: read why, replay them once the cause is fixed, or discard them. */
export function DeadLetters() {
  const [filter, setFilter] = useState<DeadLetterFilter>({ status: "pending" });
  const letters = useDeadLetters(filter);
  const replayAll = useReplayMatching();
  const [notice, setNotice] = useState("");
  const items = letters.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <form className="filters" aria-label="Filter dead letters" onSubmit={(e) => e.preventDefault()}>
        <label className="inline-field">Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as DeadLetterFilter["status"] })}>
            <option value="pending">Waiting</option><option value="replayed">Replayed</option><option value="all">All</option>
          </select>
        </label>
        <label className="inline-field grow">Task
          <input type="search" value={filter.task_name ?? ""} placeholder="e.g. ai.process_message" onChange={(e) => setFilter({ ...filter, task_name: e.target.value })} />
        </label>
        <label className="inline-field grow">Error contains
          <input type="search" value={filter.error_contains ?? ""} onChange={(e) => setFilter({ ...filter, error_contains: e.target.value })} />
        </label>
        <button type="button" className="button button-secondary" disabled={replayAll.isPending || filter.status === "replayed" || items.length === 0}
          onClick={() => { setNotice(""); replayAll.mutate(filter, { onSuccess: (r) => setNotice(`Replayed ${r.replayed} job${r.replayed === 1 ? "" : "s"}.`) }); }}>
          Replay all matching
        </button>
      </form>
      <p role="status" className="live-line notice">{notice}</p>
      {replayAll.error ? <ErrorMessage error={replayAll.error} /> : null}
      {letters.isPending ? <Spinner label="Loading dead letters…" /> : letters.error ? <ErrorMessage error={letters.error} onRetry={() => letters.refetch()} /> : items.length === 0 ? (
        <EmptyState title="No dead letters."><p>Every job that failed for good would be listed here.</p></EmptyState>
      ) : (
        <ul className="dead-letter-list">
          {items.map((d) => <DeadLetterItem key={d.id} letter={d} onDone={setNotice} />)}
        </ul>
      )}
      {letters.hasNextPage && (
        <div className="load-more"><button type="button" className="button button-secondary" onClick={() => letters.fetchNextPage()} disabled={letters.isFetchingNextPage}>Show more</button></div>
      )}
    </>
  );
}

function DeadLetterItem({ letter, onDone }: { letter: DeadLetter; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const detail = useDeadLetter(letter.id, open);
  const replay = useReplayDeadLetter();
  const discard = useDiscardDeadLetter();
  return (
    <li className="card dead-letter">
      <div className="card-header">
        <h2><code>{letter.task_name}</code></h2>
        <span className="badge">{letter.status === "pending" ? "Waiting" : "Replayed"}</span>
      </div>
      <p className="dead-letter-error">{letter.error_type}: {letter.error}</p>
      <p className="muted">{letter.attempts} attempts · first failed {formatDateTime(letter.first_failed_at)} · last {formatDateTime(letter.last_failed_at)}</p>
      <div className="button-row">
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? "Hide details" : "Inspect"}</button>
        {letter.status === "pending" && (
          <>
            <button type="button" className="button button-primary button-small" disabled={replay.isPending}
              onClick={() => replay.mutate(letter.id, { onSuccess: () => onDone(`Replayed ${letter.task_name}.`) })}>Replay</button>
            <button type="button" className="button button-ghost button-small" disabled={discard.isPending}
              onClick={() => { if (window.confirm(`Discard this ${letter.task_name} job? It will not run again.`)) discard.mutate(letter.id, { onSuccess: () => onDone(`Discarded ${letter.task_name}.`) }); }}>Discard</button>
          </>
        )}
      </div>
      {replay.error ? <ErrorMessage error={replay.error} /> : null}
      {discard.error ? <ErrorMessage error={discard.error} /> : null}
      {open && (detail.isPending ? <Spinner label="Loading…" /> : detail.error ? <ErrorMessage error={detail.error} /> : (
        <div className="dead-letter-detail">
          <h3>Arguments</h3>
          <pre>{JSON.stringify(letter.kwargs, null, 2)}</pre>
          <h3>Traceback</h3>
          <pre>{detail.data?.traceback}</pre>
        </div>
      ))}
    </li>
  );
}
