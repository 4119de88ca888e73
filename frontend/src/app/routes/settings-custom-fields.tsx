import { CustomFieldDefinitions } from "@/features/customfields/components/custom-field-definitions";
import { SettingsPage } from "../settings-page";

/** Settings > Custom fields. Admins only (the frame shows others a notice). */
export function SettingsCustomFieldsRoute() {
  return (
    <SettingsPage title="Custom fields" subtitle="extra fields on contacts, companies and deals">
      <CustomFieldDefinitions />
    </SettingsPage>
  );
}
