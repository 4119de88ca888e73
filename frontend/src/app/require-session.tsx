import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useSessionStatus } from "@/features/auth/api/use-session";

export function RequireSession({ children }: { children: ReactNode }) {
  const status = useSessionStatus();
  const location = useLocation();
  if (status !== "signed-in") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}${status === "expired" ? "&expired=1" : ""}`} replace />;
  }
  return <>{children}</>;
}
