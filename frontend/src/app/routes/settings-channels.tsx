import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useMe } from "@/features/auth/api/get-me";
import { useChannels } from "@/features/settings/api/list-channels";
import { ChannelCard } from "@/features/settings/components/channel-card";
import { ChannelForm } from "@/features/settings/components/channel-form";
import { origin } from "@/lib/auth/session";

/** Settings > Channels: the mailboxes customer mail arrives through. Admins only. */
export function SettingsChannelsRoute() {
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const channels = useChannels({ enabled: isAdmin });
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [saved, setSaved] = useState("");

  if (me.data && !isAdmin) {
    return (
      <div className="page">
        <h1>Settings</h1>
        <EmptyState title="Only admins can change settings." />
      </div>
    );
  }
  const done = (message: string) => {
    setEditing(null);
    setSaved(message);
  };
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Channels</h1>
          <p className="muted">Settings · where customer messages arrive and replies leave</p>
        </div>
        <div className="page-actions">
          <button type="button" className="button button-primary" aria-expanded={editing === "new"}
            onClick={() => { setSaved(""); setEditing(editing === "new" ? null : "new"); }}>New email channel</button>
        </div>
      </header>
      <p role="status" className="live-line notice">{saved}</p>
      {editing === "new" && (
        <section className="card" aria-label="New email channel">
          <ChannelForm onDone={(c) => done(`Created ${c.name}.`)} onCancel={() => setEditing(null)} />
        </section>
      )}
      <QueryState query={channels} loadingLabel="Loading channels…">
        {(page) => page.items.length === 0 ? (
          <EmptyState title="No channels yet."><p>Create one to take in your shop's email.</p></EmptyState>
        ) : (
          <div className="channel-list">
            {page.items.map((channel) => editing === channel.id ? (
              <section key={channel.id} className="card" aria-label={`Edit ${channel.name}`}>
                <ChannelForm channel={channel} onDone={(c) => done(`Saved ${c.name}.`)} onCancel={() => setEditing(null)} />
              </section>
            ) : (
              <ChannelCard key={channel.id} channel={channel} origin={origin()} onEdit={() => { setSaved(""); setEditing(channel.id); }} />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}
