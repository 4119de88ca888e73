import { LIFECYCLE_LABELS, type ContactFilters, type Lifecycle } from "../types";

interface Props {
  search: string;
  onSearch: (q: string) => void;
  filters: ContactFilters;
  onChange: (next: ContactFilters) => void;
  owners: { id: string; name: string }[];
}

const UNASSIGNED = "unassigned";

const SORTS = [
  { value: "-created_at", label: "Newest first" },
  { value: "-updated_at", label: "Recently updated" },
  { value: "last_name", label: "Last name A–Z" },
  { value: "first_name", label: "First name A–Z" },
];

export function ContactFiltersBar({ search, onSearch, filters, onChange, owners }: Props) {
  return (
    <div className="filters" role="search">
      <label className="inline-field grow">
        Search
        <input type="search" value={search} placeholder="Name, email or phone" onChange={(e) => onSearch(e.target.value)} />
      </label>
      <label className="inline-field">
        Stage
        <select value={filters.lifecycle_stage ?? ""}
          onChange={(e) => onChange({ ...filters, lifecycle_stage: (e.target.value || undefined) as Lifecycle | undefined })}>
          <option value="">Any stage</option>
          {Object.entries(LIFECYCLE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label className="inline-field">
        Owner
        <select
          value={filters.unassigned ? UNASSIGNED : (filters.owner_id ?? "")}
          onChange={(e) => {
            const value = e.target.value;
            onChange({ ...filters, owner_id: value && value !== UNASSIGNED ? value : undefined, unassigned: value === UNASSIGNED || undefined });
          }}
        >
          <option value="">Anyone</option>
          <option value={UNASSIGNED}>Unassigned</option>
          {owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </label>
      <label className="inline-field">
        Sort
        <select value={filters.sort ?? "-created_at"} onChange={(e) => onChange({ ...filters, sort: e.target.value })}>
          {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
    </div>
  );
}
