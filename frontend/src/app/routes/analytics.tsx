import { useSearchParams } from "react-router";
import { useDirectory } from "@/features/auth/api/get-directory";
import { useMe } from "@/features/auth/api/get-me";
import { useTeams } from "@/features/analytics/api/analytics";
import { filterFromParams, filterToParams } from "@/features/analytics/analytics-logic";
import { ActivityChart } from "@/features/analytics/components/activity-chart";
import { AnalyticsFilters } from "@/features/analytics/components/analytics-filters";
import { AutomationChart } from "@/features/analytics/components/automation-chart";
import { DealsChart } from "@/features/analytics/components/deals-chart";
import { MessagesChart } from "@/features/analytics/components/messages-chart";
import { PipelineChart } from "@/features/analytics/components/pipeline-chart";
import { ResponseTimesChart } from "@/features/analytics/components/response-times-chart";
import { RevenueChart } from "@/features/analytics/components/revenue-chart";

/** Analytics: pipeline, win rate, revenue, response times, messages, the AI funnel and rep activity; the URL keeps the filters. */
export function AnalyticsRoute() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filter = filterFromParams(params);
  const manager = me.data?.role === "manager" || me.data?.role === "admin";
  const directory = useDirectory();
  const teams = useTeams(manager);
  return (
    <div className="page page-wide analytics">
      <header className="page-header">
        <div>
          <h1>Analytics</h1>
          <p className="muted">{manager ? "Everyone's figures, or one owner's or team's" : "Your figures and unassigned ones"}</p>
        </div>
      </header>
      <AnalyticsFilters filter={filter} onChange={(next) => setParams(filterToParams(next), { replace: true })}
        people={manager ? (directory.data ?? []).map((u) => ({ id: u.id, name: u.full_name || u.email })) : undefined}
        teams={manager ? teams.data?.map((t) => ({ id: t.id, name: t.name })) : undefined} />
      <div className="analytics-grid">
        <PipelineChart filter={filter} />
        <DealsChart filter={filter} />
        <RevenueChart filter={filter} />
        <ResponseTimesChart filter={filter} />
        <MessagesChart filter={filter} />
        <AutomationChart filter={filter} />
        <ActivityChart filter={filter} />
      </div>
    </div>
  );
}
