import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { TimelineList } from "@/features/activities/components/timeline-list";
import { CustomFieldsCard } from "@/features/customfields/components/custom-fields-card";
import { useBoard } from "@/features/deals/api/get-board";
import { useDeal } from "@/features/deals/api/get-deal";
import { usePipelines } from "@/features/deals/api/get-pipelines";
import { useLiveBoard } from "@/features/deals/api/use-live-board";
import { useUpdateDeal } from "@/features/deals/api/update-deal";
import { DealBoard } from "@/features/deals/components/deal-board";
import { DealDrawer } from "@/features/deals/components/deal-drawer";
import { NewDealForm } from "@/features/deals/components/new-deal-form";
import { ExportButton } from "@/features/import-export/components/export-button";
import { ImportPanel } from "@/features/import-export/components/import-panel";
import type { Deal } from "@/features/deals/types";
import { LineItemsCard } from "@/features/line-items/components/line-items-card";
import { formatMoney } from "@/lib/format";

export function DealsRoute() {
  const { dealId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const pipelines = usePipelines();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const pipelineId = params.get("pipeline") ?? pipelines.data?.find((p) => p.is_default)?.id ?? pipelines.data?.[0]?.id;
  const pipeline = pipelines.data?.find((p) => p.id === pipelineId);
  const board = useBoard(pipelineId);
  useLiveBoard(pipelineId);
  const keepPipeline = params.get("pipeline") ? `?pipeline=${params.get("pipeline")}` : "";
  const stageNames = Object.fromEntries((pipeline?.stages ?? []).map((s) => [s.id, s.name]));

  const openValue = board.data?.stages
    .filter((s) => s.kind === "open")
    .flatMap((s) => s.totals)
    .reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.currency]: (acc[t.currency] ?? 0) + Number(t.amount) }), {});

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>Deals</h1>
          {openValue && (
            <p className="muted">
              Open pipeline: {Object.entries(openValue).map(([c, a]) => formatMoney(a, c)).join(" + ") || formatMoney(0)}
            </p>
          )}
        </div>
        <div className="page-actions">
          {pipelines.data && pipelines.data.length > 1 && (
            <label className="inline-field">
              Pipeline
              <select value={pipelineId} onChange={(e) => setParams({ pipeline: e.target.value })}>
                {pipelines.data.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            </label>
          )}
          <ExportButton path="/api/v1/deals/export.csv" query={{ pipeline_id: pipelineId }} filename="deals.csv"
            title="Downloads every deal of this pipeline you can see: open, won and lost" />
          <button type="button" className="button button-secondary" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
            Import CSV
          </button>
          <button type="button" className="button button-primary" onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            New deal
          </button>
        </div>
      </header>
      {importing && <ImportPanel objectType="deals" onClose={() => setImporting(false)} />}
      {creating && pipeline && (
        <NewDealForm pipeline={pipeline} onDone={() => setCreating(false)} />
      )}
      {pipelines.isPending || (pipelineId && board.isPending) ? (
        <Spinner label="Loading the board…" />
      ) : pipelines.error || board.error ? (
        <ErrorMessage error={pipelines.error ?? board.error} onRetry={() => { pipelines.refetch(); board.refetch(); }} />
      ) : !board.data ? (
        <EmptyState title="There is no pipeline yet." />
      ) : (
        <DealBoard board={board.data} onOpen={(id) => navigate(`/deals/${id}${keepPipeline}`)} />
      )}
      {dealId && (
        <DealDrawer
          dealId={dealId}
          pipeline={pipeline}
          onClose={() => navigate(`/deals${keepPipeline}`)}
          sections={<DealSections dealId={dealId} />}
          timeline={<TimelineList subject={{ kind: "deal", id: dealId }} stageNames={stageNames} />}
        />
      )}
    </div>
  );
}

/** The deal's line items and custom fields, beside its details in the drawer. */
function DealSections({ dealId }: { dealId: string }) {
  const deal = useDeal(dealId);
  return deal.data ? <DealSectionsOf deal={deal.data} /> : null;
}

function DealSectionsOf({ deal }: { deal: Deal }) {
  const client = useQueryClient();
  const update = useUpdateDeal(deal);
  const saveFields = useUpdateDeal(deal); // its own error state: a refused field is not a line-items error
  return (
    <>
      <LineItemsCard
        deal={deal}
        driveError={update.error}
        onDriveAmount={async (on) => {
          await update.mutateAsync({ amount_from_line_items: on });
          await client.invalidateQueries({ queryKey: ["deals", deal.id, "line-items"] });
        }}
      />
      <CustomFieldsCard objectType="deal" id={`deal-${deal.id}-custom-fields`} values={deal.custom_fields}
        onSave={(changes) => saveFields.mutateAsync({ custom_fields: changes })} />
    </>
  );
}
