import { useMe } from "@/features/auth/api/get-me";
import { PasswordForm } from "@/features/auth/components/password-form";

/** `/account`: the signed-in user's own account, for every role (the header's name links here). */
export function AccountRoute() {
  const me = useMe();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Your account</h1>
          {me.data && <p className="muted">{me.data.full_name ? `${me.data.full_name} · ` : ""}{me.data.email}</p>}
        </div>
      </header>
      <h2>Change your password</h2>
      <PasswordForm />
    </div>
  );
}
