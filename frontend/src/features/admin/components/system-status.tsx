import { QueryState } from "@/components/ui/query-state";
import { formatDateTime } from "@/lib/format";
import { useSystemStatus } from "../api/system";

/** What runs and what waits: processes, workers, queues, the outbox and dead letters, beat's schedules. */
export function SystemStatusPanel() {
  const status = useSystemStatus();
  return (
    <QueryState query={status} loadingLabel="Loading the system status…">
      {(s) => (
        <div className="system-status">
          <section className="card" aria-labelledby="sys-summary">
            <h2 id="sys-summary">Summary</h2>
            <dl className="details">
              <dt>Valkey / Redis</dt><dd className={s.redis_ok ? "status-won" : "status-lost"}>{s.redis_ok ? "Reachable" : "Not reachable"}</dd>
              <dt>Outbox backlog</dt><dd>{s.outbox_backlog}</dd>
              <dt>Dead letters</dt><dd className={s.dead_letters ? "status-lost" : undefined}>{s.dead_letters}</dd>
              <dt>Live workers</dt><dd className={s.workers.length ? undefined : "status-lost"}>{s.workers.length}</dd>
            </dl>
          </section>
          {s.processes.length > 0 && (
            <section className="card" aria-labelledby="sys-processes">
              <h2 id="sys-processes">Processes</h2>
              <div className="table-wrap"><table className="data-table">
                <thead><tr><th scope="col">Process</th><th scope="col">State</th><th scope="col">Pid</th><th scope="col">Restarts</th><th scope="col">Last exit</th></tr></thead>
                <tbody>{s.processes.map((p) => (
                  <tr key={p.name}><th scope="row" data-label="Process">{p.name}</th><td data-label="State" className={p.state === "running" ? "status-won" : "status-lost"}>{p.state}</td>
                    <td data-label="Pid">{p.pid ?? ""}</td><td data-label="Restarts">{p.restarts ?? 0}</td>
                    <td data-label="Last exit">{p.last_exit_at ? `${formatDateTime(p.last_exit_at)} (code ${p.last_exit_code ?? "?"})` : ""}</td></tr>
                ))}</tbody>
              </table></div>
            </section>
          )}
          <section className="card" aria-labelledby="sys-queues">
            <h2 id="sys-queues">Queues</h2>
            <div className="table-wrap"><table className="data-table">
              <thead><tr><th scope="col">Queue</th><th scope="col">Waiting jobs</th></tr></thead>
              <tbody>{Object.entries(s.queues).map(([name, n]) => (
                <tr key={name}><th scope="row" data-label="Queue">{name}</th><td data-label="Waiting jobs">{n ?? "unknown"}</td></tr>
              ))}</tbody>
            </table></div>
          </section>
          <section className="card" aria-labelledby="sys-workers">
            <h2 id="sys-workers">Workers</h2>
            {s.workers.length === 0 ? <p className="status-lost">No worker is running: nothing is processed.</p> : (
              <ul className="record-list">{s.workers.map((w) => (
                <li key={w.hostname}><strong>{w.hostname}</strong> <span className="muted">queues {(w.queues ?? []).join(", ")} · seen {formatDateTime(w.last_seen_at)}</span></li>
              ))}</ul>
            )}
          </section>
          <section className="card" aria-labelledby="sys-schedules">
            <h2 id="sys-schedules">Schedules</h2>
            <div className="table-wrap"><table className="data-table">
              <thead><tr><th scope="col">Schedule</th><th scope="col">Every</th><th scope="col">Last run</th></tr></thead>
              <tbody>{s.schedules.map((x) => (
                <tr key={x.name}><th scope="row" data-label="Schedule">{x.name}</th><td data-label="Every">{x.every_seconds ? `${x.every_seconds} s` : ""}</td>
                  <td data-label="Last run">{x.last_run_at ? formatDateTime(x.last_run_at) : "not yet"}</td></tr>
              ))}</tbody>
            </table></div>
          </section>
        </div>
      )}
    </QueryState>
  );
}
