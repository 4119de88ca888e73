import { useMe } from "@/features/auth/api/get-me";
import { UsersTable } from "@/features/admin/components/users-table";
import { SettingsPage } from "../settings-page";

export function SettingsUsersRoute() {
  const me = useMe();
  return (
    <SettingsPage title="Users and roles" subtitle="who signs in, and what they may do">
      <UsersTable meId={me.data?.id} />
    </SettingsPage>
  );
}
