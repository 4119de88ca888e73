import { PRIORITIES, STATUS_LABELS, type ConversationStatus, type InboxFilters } from "../types";
import { intentLabel } from "../inbox-logic";

interface Props {
  filters: InboxFilters;
  onChange: (next: InboxFilters) => void;
  search: string;
  onSearch: (value: string) => void;
  intents: string[];
  /** Every channel by name (GET /channels/directory); with none loaded the channel filter is left out. */
  channels?: { id: string; name: string }[];
  /** Active colleagues, for "Assigned to". */
  people?: { id: string; name: string }[];
}

const VIEWS: { value: InboxFilters["view"]; label: string }[] = [
  { value: "all", label: "All" },
  { value: "mine", label: "Mine" },
  { value: "unassigned", label: "Unassigned" },
];

export function ConversationFilters({ filters, onChange, search, onSearch, intents, channels, people }: Props) {
  const set = (patch: Partial<InboxFilters>) => onChange({ ...filters, ...patch });
  return (
    <form className="inbox-filters" role="search" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
      <div className="segmented" role="group" aria-label="Whose conversations">
        {VIEWS.map((view) => (
          <button key={view.value} type="button" aria-pressed={filters.view === view.value}
            className={filters.view === view.value ? "segment segment-on" : "segment"}
            onClick={() => set({ view: view.value, assignee_id: undefined })}>
            {view.label}
          </button>
        ))}
      </div>
      <label className="inline-field grow">
        Search
        <input type="search" value={search} placeholder="Subject, text or name" onChange={(e) => onSearch(e.target.value)} />
      </label>
      <details className="inbox-more-filters">
        <summary>More filters</summary>
        <div className="inbox-filter-grid">
          <label className="inline-field">
            Status
            <select value={filters.status ?? ""} onChange={(e) => set({ status: (e.target.value || undefined) as ConversationStatus | undefined })}>
              <option value="">Any</option>
              {Object.entries(STATUS_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
          {people && people.length > 0 && (
            <label className="inline-field">
              Assigned to
              <select value={filters.view === "all" ? filters.assignee_id ?? "" : ""}
                onChange={(e) => set({ view: "all", assignee_id: e.target.value || undefined })}>
                <option value="">Anyone</option>
                {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            </label>
          )}
          {channels && channels.length > 0 && (
            <label className="inline-field">
              Channel
              <select value={filters.channel_id ?? ""} onChange={(e) => set({ channel_id: e.target.value || undefined })}>
                <option value="">Any</option>
                {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
          )}
          <label className="inline-field">
            Intent
            <select value={filters.intent ?? ""} onChange={(e) => set({ intent: e.target.value || undefined })}>
              <option value="">Any</option>
              {intents.map((name) => <option key={name} value={name}>{intentLabel(name)}</option>)}
            </select>
          </label>
          <label className="inline-field">
            Priority
            <select value={filters.priority ?? ""} onChange={(e) => set({ priority: e.target.value || undefined })}>
              <option value="">Any</option>
              {PRIORITIES.map((p) => <option key={p} value={p}>{intentLabel(p)}</option>)}
            </select>
          </label>
          <label className="inline-field">
            Sort
            <select value={filters.sort} onChange={(e) => set({ sort: e.target.value === "priority" ? "priority" : "activity" })}>
              <option value="activity">Newest activity</option>
              <option value="priority">Most urgent first</option>
            </select>
          </label>
          <label className="checkbox-field">
            <input type="checkbox" checked={Boolean(filters.junk)} onChange={(e) => set({ junk: e.target.checked || undefined })} />
            Automated mail only
          </label>
        </div>
      </details>
    </form>
  );
}
