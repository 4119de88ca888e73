import { QueryState } from "@/components/ui/query-state";
import { usePolicy } from "@/features/ai-settings/api/policy";
import { CalibrationChart } from "@/features/ai-settings/components/calibration-chart";
import { KnowledgeList } from "@/features/ai-settings/components/knowledge-list";
import { PolicyForm } from "@/features/ai-settings/components/policy-form";
import { SettingsPage, useIsAdmin } from "../settings-page";

/** Settings > AI: the reply policy beside the calibration that tells where to set it; seller knowledge below. */
export function SettingsAiRoute() {
  return (
    <SettingsPage title="AI replies" subtitle="when the AI may answer on its own, and what it may quote" roles={["admin", "manager"]}>
      <AiSettings />
    </SettingsPage>
  );
}

function AiSettings() {
  const policy = usePolicy();
  const isAdmin = useIsAdmin(); // seller knowledge stays with admins; managers set the policy
  return (
    <QueryState query={policy} loadingLabel="Loading the AI policy…">
      {(p) => (
        <>
          <div className="ai-settings-layout">
            <PolicyForm policy={p} />
            <CalibrationChart autoSendThreshold={p.auto_send_threshold} />
          </div>
          {isAdmin && <KnowledgeList intents={Object.keys(p.intent_rules ?? {}).sort()} />}
        </>
      )}
    </QueryState>
  );
}
