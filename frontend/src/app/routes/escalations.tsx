import { useDirectory } from "@/features/auth/api/get-directory";
import { useMe } from "@/features/auth/api/get-me";
import { EscalationQueue } from "@/features/replies/components/escalation-queue";

/** Escalations: what the AI handed to people, for managers (everyone's) and reps (their own). */
export function EscalationsRoute() {
  const me = useMe();
  const directory = useDirectory();
  const people = (directory.data ?? []).map((u) => ({ id: u.id, name: u.full_name || u.email }));
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Escalations</h1>
          <p className="muted">{me.data?.role === "rep" ? "Messages waiting for you" : "Messages waiting for a person, overdue first"}</p>
        </div>
      </header>
      <EscalationQueue people={people} viewer={me.data ? { id: me.data.id, role: me.data.role } : undefined} />
    </div>
  );
}
