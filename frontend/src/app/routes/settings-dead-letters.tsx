import { DeadLetters } from "@/features/admin/components/dead-letters";
import { SettingsPage } from "../settings-page";

export function SettingsDeadLettersRoute() {
  return (
    <SettingsPage title="Dead letters" subtitle="jobs that failed for good">
      <DeadLetters />
    </SettingsPage>
  );
}
