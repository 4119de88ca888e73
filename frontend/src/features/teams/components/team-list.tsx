import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useDeleteTeam, useTeamChoices, useTeams } from "../api/teams";
import { hoursSummary } from "../team-logic";
import type { Team } from "../types";
import { TeamForm } from "./team-form";

/** Settings > Teams: each team's members, intents, manager and hours; admins create, edit and delete. */
export function TeamList() {
  const teams = useTeams();
  const { intents, users } = useTeamChoices();
  const remove = useDeleteTeam();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState("");

  const failed = teams.error ?? intents.error ?? users.error;
  if (failed) return <ErrorMessage error={failed} onRetry={() => { teams.refetch(); intents.refetch(); users.refetch(); }} />;
  const [teamRows, intentRows, userRows] = [teams.data, intents.data, users.data];
  if (!teamRows || !intentRows || !userRows) return <Spinner label="Loading teams…" />;
  const names = Object.fromEntries(userRows.map((u) => [u.id, u.full_name || u.email]));
  const done = (message: string) => { setEditing(null); setNotice(message); };
  const form = (team?: Team) => (
    <TeamForm team={team} teams={teamRows} intents={intentRows} users={userRows}
      onDone={(t) => done(team ? `Saved ${t.name}.` : `Created ${t.name}.`)} onCancel={() => setEditing(null)} />
  );

  return (
    <>
      <div className="page-actions">
        <button type="button" className="button button-primary" aria-expanded={editing === "new"}
          onClick={() => { setNotice(""); setEditing(editing === "new" ? null : "new"); }}>New team</button>
      </div>
      <p role="status" className="live-line notice">{notice}</p>
      {editing === "new" && <section className="card" aria-label="New team">{form()}</section>}
      {remove.error && <ErrorMessage error={remove.error} />}
      {teamRows.length === 0 ? (
        <EmptyState title="No teams yet."><p>Without teams, escalations and approvals go to the contact's owner, then to a manager.</p></EmptyState>
      ) : teamRows.map((team) => editing === team.id ? (
        <section key={team.id} className="card" aria-label={`Edit ${team.name}`}>{form(team)}</section>
      ) : (
        <section key={team.id} className="card" aria-labelledby={`team-${team.id}`}>
          <header className="card-header">
            <h2 id={`team-${team.id}`}>{team.name}</h2>
            <div className="button-row">
              <button type="button" className="button button-secondary button-small" aria-label={`Edit ${team.name}`}
                onClick={() => { setNotice(""); setEditing(team.id); }}>Edit</button>
              <button type="button" className="button button-ghost button-small" aria-label={`Delete ${team.name}`}
                onClick={() => setConfirming(team.id)}>Delete</button>
            </div>
          </header>
          {confirming === team.id && (
            <div className="button-row" role="group" aria-label={`Delete ${team.name}?`}>
              <span>Delete {team.name}? Its intents go back to owners and managers.</span>
              <button type="button" className="button button-danger button-small" disabled={remove.isPending}
                onClick={() => remove.mutate(team.id, { onSuccess: () => { setConfirming(null); setNotice(`Deleted ${team.name}.`); } })}>Confirm delete</button>
              <button type="button" className="button button-ghost button-small" onClick={() => setConfirming(null)}>Keep it</button>
            </div>
          )}
          <dl className="details">
            <dt>Members</dt><dd>{team.member_ids.length ? team.member_ids.map((id) => names[id] ?? "A former user").join(", ") : "None"}</dd>
            <dt>Intents</dt><dd>{team.intents.length ? team.intents.map((i) => i.replace(/_/g, " ")).join(", ") : "None"}</dd>
            <dt>Manager</dt><dd>{team.manager_id ? names[team.manager_id] ?? "A former user" : "An admin"}</dd>
            <dt>Hours</dt><dd>{hoursSummary(team.working_hours)}</dd>
          </dl>
        </section>
      ))}
    </>
  );
}
