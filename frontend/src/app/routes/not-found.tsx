import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state";

export function NotFoundRoute() {
  return (
    <EmptyState title="There's no page here.">
      <Link to="/deals">Go to your deals</Link>
    </EmptyState>
  );
}
