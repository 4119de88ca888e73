import { Link } from "react-router";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { formatMoney } from "@/lib/format";
import { useDealsOf } from "../api/list-deals";
import type { Pipeline } from "../types";

interface Props {
  filter: { contact_id?: string; company_id?: string };
  stages: Pipeline["stages"];
}

/** A contact's or company's deals, each linking to its card on the board. */
export function DealsOfRecord({ filter, stages }: Props) {
  const deals = useDealsOf(filter);
  if (deals.isPending) return <Spinner label="Loading deals…" />;
  if (deals.error) return <ErrorMessage error={deals.error} onRetry={() => deals.refetch()} />;
  if (deals.data.items.length === 0) return <p className="muted">No deals yet.</p>;
  const stageName = (id: string) => stages.find((s) => s.id === id)?.name ?? "";
  return (
    <ul className="record-list">
      {deals.data.items.map((d) => (
        <li key={d.id}>
          <Link to={`/deals/${d.id}?pipeline=${d.pipeline_id}`}>{d.title}</Link>
          <span className="muted"> · {formatMoney(d.amount, d.currency)} · {d.status === "open" ? stageName(d.stage_id) : d.status === "won" ? "Won" : "Lost"}</span>
        </li>
      ))}
    </ul>
  );
}
