import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useToday } from "../api/get-today";
import { isQuietDay } from "../home-logic";
import { ChurnList } from "./churn-list";
import { LeadList } from "./lead-list";
import { OpportunityList } from "./opportunity-list";
import { OverdueList } from "./overdue-list";

/** Today, from one request: what is late first, then who to call and what to sell. */
export function TodayBoard() {
  const today = useToday();
  return (
    <QueryState query={today} loadingLabel="Loading today…">
      {(t) => isQuietDay(t) ? (
        <EmptyState title="Nothing needs you today.">
          <p>No overdue work, no scored leads, risks or opportunities yet. They appear here as customers write and buy.</p>
        </EmptyState>
      ) : (
        <div className="home-grid">
          <div className="home-column">
            <OverdueList title="Overdue escalations" empty="No customer is waiting on you." tasks={t.overdue_escalations}
              more={{ to: "/escalations", label: "Escalations queue" }} />
            <OverdueList title="Overdue tasks" empty="No overdue tasks." tasks={t.overdue_tasks} more={{ to: "/tasks", label: "All tasks" }} />
            <OpportunityList opportunities={t.opportunities} />
          </div>
          <div className="home-column">
            <LeadList leads={t.leads} />
            <ChurnList alerts={t.churn} />
          </div>
        </div>
      )}
    </QueryState>
  );
}
