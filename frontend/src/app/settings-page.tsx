import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { useMe } from "@/features/auth/api/get-me";

const SECTIONS = [
  { to: "/settings/channels", label: "Channels" },
  { to: "/settings/ai", label: "AI" },
  { to: "/settings/custom-fields", label: "Custom fields" },
  { to: "/settings/teams", label: "Teams" },
  { to: "/settings/users", label: "Users" },
  { to: "/settings/dead-letters", label: "Dead letters" },
  { to: "/settings/system", label: "System status" },
];

/** The frame of every settings screen: admins only, with the sections side by side. */
export function SettingsPage({ title, subtitle, actions, children }: { title: string; subtitle: string; actions?: ReactNode; children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Spinner label="Loading…" />;
  if (me.data?.role !== "admin") {
    return (
      <div className="page">
        <h1>Settings</h1>
        <EmptyState title="Only admins can change settings." />
      </div>
    );
  }
  return (
    <div className="page">
      <nav aria-label="Settings" className="settings-nav">
        <ul>{SECTIONS.map((s) => <li key={s.to}><NavLink to={s.to}>{s.label}</NavLink></li>)}</ul>
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
