import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { QueryState } from "@/components/ui/query-state";
import { formatDateTime } from "@/lib/format";
import { useDeleteKnowledge, useKnowledge, useKnowledgeVersions } from "../api/knowledge";
import type { Knowledge } from "../types";
import { KnowledgeForm } from "./knowledge-form";

/** Seller knowledge: short texts replies may quote (shipping, returns, hours), each edit a new version. */
export function KnowledgeList({ intents }: { intents: string[] }) {
  const knowledge = useKnowledge();
  const remove = useDeleteKnowledge();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [saved, setSaved] = useState("");
  return (
    <section className="card" aria-labelledby="knowledge-title">
      <div className="card-header">
        <h2 id="knowledge-title">Seller knowledge</h2>
        <button type="button" className="button button-secondary" aria-expanded={editing === "new"} onClick={() => { setSaved(""); setEditing(editing === "new" ? null : "new"); }}>New entry</button>
      </div>
      <p role="status" className="live-line notice">{saved}</p>
      {editing === "new" && <KnowledgeForm intents={intents} onDone={(k) => { setEditing(null); setSaved(`Added ${k.title}.`); }} onCancel={() => setEditing(null)} />}
      {remove.error ? <ErrorMessage error={remove.error} /> : null}
      <QueryState query={knowledge} loadingLabel="Loading knowledge…">
        {(entries) => entries.length === 0 ? (
          <EmptyState title="No knowledge yet."><p>Add your shipping, returns or opening hours: replies quote them word for word.</p></EmptyState>
        ) : (
          <ul className="knowledge-list">
            {entries.map((entry) => editing === entry.id ? (
              <li key={entry.id}><KnowledgeForm entry={entry} intents={intents} onDone={(k) => { setEditing(null); setSaved(`Saved ${k.title} (version ${k.version}).`); }} onCancel={() => setEditing(null)} /></li>
            ) : (
              <li key={entry.id} className="knowledge-entry">
                <KnowledgeEntry entry={entry} onEdit={() => { setSaved(""); setEditing(entry.id); }}
                  onDelete={() => { if (window.confirm(`Delete "${entry.title}"? Replies stop quoting it.`)) remove.mutate(entry.id, { onSuccess: () => setSaved(`Deleted ${entry.title}.`) }); }} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function KnowledgeEntry({ entry, onEdit, onDelete }: { entry: Knowledge; onEdit: () => void; onDelete: () => void }) {
  const [open, setOpen] = useState(false);
  const versions = useKnowledgeVersions(entry.id, open);
  return (
    <article aria-label={entry.title}>
      <h3>{entry.title} <span className="badge">{entry.topic}</span></h3>
      <p className="knowledge-body">{entry.body}</p>
      <p className="muted">Version {entry.version} · {entry.intents?.length ? `for ${entry.intents.map((i) => i.replace(/_/g, " ")).join(", ")}` : "for every intent"}</p>
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={onEdit} aria-label={`Edit ${entry.title}`}>Edit</button>
        <button type="button" className="button button-ghost button-small" onClick={onDelete} aria-label={`Delete ${entry.title}`}>Delete</button>
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? "Hide versions" : "Versions"}</button>
      </div>
      {open && (
        <QueryState query={versions} loadingLabel="Loading versions…">
          {(list) => (
            <ol className="knowledge-versions" reversed>
              {[...list].sort((a, b) => b.version - a.version).map((v) => (
                <li key={v.version}><strong>Version {v.version}</strong> <span className="muted">{formatDateTime(v.created_at)}</span><p>{v.title}: {v.body}</p></li>
              ))}
            </ol>
          )}
        </QueryState>
      )}
    </article>
  );
}
