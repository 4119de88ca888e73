import { Link, useRouteError } from "react-router";
import { ErrorMessage } from "@/components/ui/error-message";

/** A screen that crashed: say so in words and offer a way on, instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  return (
    <div className="page">
      <h1>This page ran into a problem</h1>
      <ErrorMessage error={error} onRetry={() => window.location.reload()} />
      <p><Link to="/deals">Go to your deals</Link></p>
    </div>
  );
}
