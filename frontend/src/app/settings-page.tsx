import type { ReactNode } from "react";
import { Navigate, NavLink } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { useMe } from "@/features/auth/api/get-me";

type Role = "admin" | "manager" | "rep";
const ADMINS: Role[] = ["admin"];

// Managers run the sales team and answer for what is sent to customers: they set the AI policy.
const SECTIONS: { to: string; label: string; roles: Role[] }[] = [
  { to: "/settings/channels", label: "Channels", roles: ADMINS },
  { to: "/settings/catalog-sources", label: "Catalogue sources", roles: ADMINS },
  { to: "/settings/ai", label: "AI", roles: ["admin", "manager"] },
  { to: "/settings/custom-fields", label: "Custom fields", roles: ADMINS },
  { to: "/settings/teams", label: "Teams", roles: ADMINS },
  { to: "/settings/users", label: "Users", roles: ADMINS },
  { to: "/settings/dead-letters", label: "Dead letters", roles: ADMINS },
  { to: "/settings/system", label: "System status", roles: ADMINS },
];

const sectionsFor = (role: string | undefined) => SECTIONS.filter((s) => s.roles.includes(role as Role));

/** Whether the signed-in user has any settings to open (for the main navigation). */
export function useHasSettings(): boolean {
  return sectionsFor(useMe().data?.role).length > 0;
}

/** `/settings`: the first section the signed-in user may open. */
export function SettingsIndexRoute() {
  const me = useMe();
  if (me.isPending) return <Spinner label="Loading…" />;
  const first = sectionsFor(me.data?.role)[0];
  return <Navigate to={first?.to ?? "/settings/channels"} replace />;
}

interface Props {
  title: string;
  subtitle: string;
  actions?: ReactNode;
  children: ReactNode;
  /** Who may open this screen; admins only unless it says otherwise. */
  roles?: Role[];
}

/** The frame of every settings screen, with the sections the user may open side by side. */
export function SettingsPage({ title, subtitle, actions, children, roles = ADMINS }: Props) {
  const me = useMe();
  if (me.isPending) return <Spinner label="Loading…" />;
  const role = me.data?.role as Role | undefined;
  if (!role || !roles.includes(role)) {
    return (
      <div className="page">
        <h1>Settings</h1>
        <EmptyState title={roles.includes("manager") ? "Only managers and admins can change this." : "Only admins can change settings."} />
      </div>
    );
  }
  return (
    <div className="page">
      <nav aria-label="Settings" className="settings-nav">
        <ul>{sectionsFor(role).map((s) => <li key={s.to}><NavLink to={s.to}>{s.label}</NavLink></li>)}</ul>
      </nav>
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="muted">Settings · {subtitle}</p>
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}

/** Whether the signed-in user is an admin, for screens that must not even ask otherwise. */
export function useIsAdmin(): boolean {
  return useMe().data?.role === "admin";
}
