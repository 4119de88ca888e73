import { TeamList } from "@/features/teams/components/team-list";
import { SettingsPage } from "../settings-page";

/** Settings > Teams: who answers which intents, and when. Admins only. */
export function SettingsTeamsRoute() {
  return (
    <SettingsPage title="Teams" subtitle="routing of escalations and approvals by intent">
      <TeamList />
    </SettingsPage>
  );
}
