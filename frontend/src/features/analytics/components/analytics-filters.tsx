import type { AnalyticsFilter } from "../types";

interface Props {
  filter: AnalyticsFilter;
  onChange: (next: AnalyticsFilter) => void;
  people?: { id: string; name: string }[];
  teams?: { id: string; name: string }[];
}

/** Date range, and (for managers) whose figures: one owner or one team. */
export function AnalyticsFilters({ filter, onChange, people, teams }: Props) {
  return (
    <form className="filters" aria-label="Analytics filters" onSubmit={(e) => e.preventDefault()}>
      <label className="inline-field">From
        <input type="date" value={filter.from} max={filter.to} onChange={(e) => e.target.value && onChange({ ...filter, from: e.target.value })} />
      </label>
      <label className="inline-field">To
        <input type="date" value={filter.to} min={filter.from} onChange={(e) => e.target.value && onChange({ ...filter, to: e.target.value })} />
      </label>
      {people && (
        <label className="inline-field">Owner
          <select value={filter.owner_id ?? ""} onChange={(e) => onChange({ ...filter, owner_id: e.target.value || undefined })}>
            <option value="">Everyone</option>
            {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
      )}
      {teams && teams.length > 0 && (
        <label className="inline-field">Team
          <select value={filter.team_id ?? ""} onChange={(e) => onChange({ ...filter, team_id: e.target.value || undefined })}>
            <option value="">All teams</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
      )}
    </form>
  );
}
