import { NavLink, Outlet, useNavigate } from "react-router";
import { useMe } from "@/features/auth/api/get-me";
import { useUnreadBadge } from "@/features/inbox/api/get-unread";
import { useLiveInbox } from "@/features/inbox/api/use-live-inbox";
import { CommandPalette } from "@/features/search/components/command-palette";
import { logout } from "@/lib/auth/session";
import { useHasSettings } from "./settings-page";

const NAV_ITEMS = [
  { to: "/", label: "Home" },
  { to: "/inbox", label: "Inbox" },
  { to: "/escalations", label: "Escalations" },
  { to: "/deals", label: "Deals" },
  { to: "/contacts", label: "Contacts" },
  { to: "/companies", label: "Companies" },
  { to: "/tasks", label: "Tasks" },
  { to: "/catalog", label: "Catalogue" },
  { to: "/analytics", label: "Analytics" },
];

export function AppLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const unread = useUnreadBadge();
  useLiveInbox(); // keeps the unread badge current on every screen
  const staff = me.data?.role === "manager" || me.data?.role === "admin";
  // Managers and admins judge what the AI sent (findings M15); next to Escalations, what it handed over.
  const withReview = staff ? [...NAV_ITEMS.slice(0, 3), { to: "/ai-review", label: "AI review" }, ...NAV_ITEMS.slice(3)] : NAV_ITEMS;
  const items = useHasSettings() ? [...withReview, { to: "/settings", label: "Settings" }] : withReview;

  const signOut = async () => {
    await logout();
    navigate("/login", { replace: true });
  };

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="app-header">
        <span className="brand">Mancrel</span>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"}>
                  {item.label}
                  {item.to === "/inbox" && unread && (
                    <span className="nav-badge"><span className="visually-hidden">, </span>{unread}<span className="visually-hidden"> unread</span></span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user-menu">
          <CommandPalette />
          {me.data && (
            <NavLink to="/account" className="user-name" title={`${me.data.email}: your account and password`}>
              {me.data.full_name || me.data.email}
            </NavLink>
          )}
          <button type="button" className="button button-ghost" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
