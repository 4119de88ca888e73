import { Navigate, useNavigate, useSearchParams } from "react-router";
import { LoginForm } from "@/features/auth/components/login-form";
import { useSessionStatus } from "@/features/auth/api/use-session";

/** Only same-site paths: `next` comes from the URL and must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/deals";
}

export function LoginRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const status = useSessionStatus();
  const next = safeNext(params.get("next"));
  if (status === "signed-in") return <Navigate to={next} replace />;
  const notice = params.get("expired") ? "Your session has ended. Please sign in again." : undefined;
  return (
    <main className="login-page">
      <LoginForm notice={notice} onSignedIn={() => navigate(next, { replace: true })} />
    </main>
  );
}
