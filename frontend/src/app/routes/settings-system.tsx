import { SystemStatusPanel } from "@/features/admin/components/system-status";
import { SettingsPage } from "../settings-page";

export function SettingsSystemRoute() {
  return (
    <SettingsPage title="System status" subtitle="processes, queues and schedules, refreshed every 10 seconds">
      <SystemStatusPanel />
    </SettingsPage>
  );
}
