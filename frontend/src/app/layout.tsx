import { NavLink, Outlet, useNavigate } from "react-router";
import { useMe } from "@/features/auth/api/get-me";
import { logout } from "@/lib/auth/session";

// Inbox, Catalogue, Analytics and Settings join this list as their screens land.
const NAV_ITEMS = [
  { to: "/deals", label: "Deals" },
  { to: "/contacts", label: "Contacts" },
  { to: "/companies", label: "Companies" },
  { to: "/tasks", label: "Tasks" },
];

export function AppLayout() {
  const me = useMe();
  const navigate = useNavigate();

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
            {NAV_ITEMS.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user-menu">
          {me.data && <span className="user-name" title={me.data.email}>{me.data.full_name || me.data.email}</span>}
          <button type="button" className="button button-ghost" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
