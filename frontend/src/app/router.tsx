import { createBrowserRouter, createMemoryRouter, type RouteObject } from "react-router";
import { AppLayout } from "./layout";
import { RequireSession } from "./require-session";
import { RouteError } from "./route-error";
import { AccountRoute } from "./routes/account";
import { AiReviewRoute } from "./routes/ai-review";
import { CatalogRoute } from "./routes/catalog";
import { CompaniesRoute } from "./routes/companies";
import { CompanyRoute } from "./routes/company";
import { ContactRoute } from "./routes/contact";
import { ContactsRoute } from "./routes/contacts";
import { ContactsDuplicatesRoute } from "./routes/contacts-duplicates";
import { DealsRoute } from "./routes/deals";
import { EscalationsRoute } from "./routes/escalations";
import { HomeRoute } from "./routes/home";
import { InboxRoute } from "./routes/inbox";
import { LoginRoute } from "./routes/login";
import { NotFoundRoute } from "./routes/not-found";
import { SettingsCatalogSourcesRoute } from "./routes/settings-catalog-sources";
import { SettingsChannelsRoute } from "./routes/settings-channels";
import { SettingsCustomFieldsRoute } from "./routes/settings-custom-fields";
import { SettingsTeamsRoute } from "./routes/settings-teams";
import { SettingsDeadLettersRoute } from "./routes/settings-dead-letters";
import { SettingsSystemRoute } from "./routes/settings-system";
import { SettingsUsersRoute } from "./routes/settings-users";
import { TasksRoute } from "./routes/tasks";
import { SettingsIndexRoute } from "./settings-page";

export const routes: RouteObject[] = [
  { path: "/login", element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      {
        // Inside the layout, so a crashed screen keeps the navigation.
        errorElement: <RouteError />,
        children: [
          { index: true, element: <HomeRoute /> },
          { path: "deals", element: <DealsRoute /> },
          { path: "deals/:dealId", element: <DealsRoute /> },
          { path: "contacts", element: <ContactsRoute /> },
          { path: "contacts/duplicates", element: <ContactsDuplicatesRoute /> },
          { path: "contacts/:contactId", element: <ContactRoute /> },
          { path: "companies", element: <CompaniesRoute /> },
          { path: "companies/:companyId", element: <CompanyRoute /> },
          { path: "tasks", element: <TasksRoute /> },
          { path: "inbox", element: <InboxRoute /> },
          { path: "inbox/:conversationId", element: <InboxRoute /> },
          { path: "settings", element: <SettingsIndexRoute /> },
          { path: "settings/channels", element: <SettingsChannelsRoute /> },
          { path: "settings/catalog-sources", element: <SettingsCatalogSourcesRoute /> },
          { path: "settings/custom-fields", element: <SettingsCustomFieldsRoute /> },
          { path: "settings/teams", element: <SettingsTeamsRoute /> },
          // Loaded on first visit: the chart library is most of its weight and only admins need it.
          { path: "settings/ai", lazy: () => import("./routes/settings-ai").then((m) => ({ Component: m.SettingsAiRoute })) },
          { path: "settings/users", element: <SettingsUsersRoute /> },
          { path: "settings/dead-letters", element: <SettingsDeadLettersRoute /> },
          { path: "settings/system", element: <SettingsSystemRoute /> },
          { path: "account", element: <AccountRoute /> },
          { path: "escalations", element: <EscalationsRoute /> },
          { path: "ai-review", element: <AiReviewRoute /> },
          { path: "analytics", lazy: () => import("./routes/analytics").then((m) => ({ Component: m.AnalyticsRoute })) },
          { path: "catalog", element: <CatalogRoute /> },
          { path: "*", element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}

/** For tests: the same routes, starting at `path`. */
export function createTestRouter(path: string) {
  return createMemoryRouter(routes, { initialEntries: [path] });
}
