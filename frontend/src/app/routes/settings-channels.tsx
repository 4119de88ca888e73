import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useChannels } from "@/features/settings/api/list-channels";
import { ChannelCard } from "@/features/settings/components/channel-card";
import { ChannelForm } from "@/features/settings/components/channel-form";
import { MetaChannelForm } from "@/features/settings/components/meta-channel-form";
import { isMetaKind } from "@/features/settings/types";
import { origin } from "@/lib/auth/session";
import { SettingsPage } from "../settings-page";

/** Settings > Channels: the mailboxes customer mail arrives through. Admins only. */
export function SettingsChannelsRoute() {
  const [editing, setEditing] = useState<string | "new" | "new-meta" | null>(null);
  const [saved, setSaved] = useState("");
  return (
    <SettingsPage title="Channels" subtitle="where customer messages arrive and replies leave"
      actions={
        <>
          <button type="button" className="button button-primary" aria-expanded={editing === "new"}
            onClick={() => { setSaved(""); setEditing(editing === "new" ? null : "new"); }}>New email channel</button>
          <button type="button" className="button button-secondary" aria-expanded={editing === "new-meta"}
            onClick={() => { setSaved(""); setEditing(editing === "new-meta" ? null : "new-meta"); }}>New WhatsApp, Messenger or Lead Ads channel</button>
        </>
      }>
      <Channels editing={editing} setEditing={setEditing} saved={saved} setSaved={setSaved} />
    </SettingsPage>
  );
}

interface Props {
  editing: string | null;
  setEditing: (id: string | "new" | "new-meta" | null) => void;
  saved: string;
  setSaved: (message: string) => void;
}

// Rendered only for admins, so a rep's browser never asks for the channels.
function Channels({ editing, setEditing, saved, setSaved }: Props) {
  const channels = useChannels({ enabled: true });
  const done = (message: string) => {
    setEditing(null);
    setSaved(message);
  };
  return (
    <>
      <p role="status" className="live-line notice">{saved}</p>
      {editing === "new-meta" && (
        <section className="card" aria-label="New Meta channel">
          <MetaChannelForm onDone={(c) => done(`Created ${c.name}.`)} onCancel={() => setEditing(null)} />
        </section>
      )}
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
                {isMetaKind(channel.kind)
                  ? <MetaChannelForm channel={channel} onDone={(c) => done(`Saved ${c.name}.`)} onCancel={() => setEditing(null)} />
                  : <ChannelForm channel={channel} onDone={(c) => done(`Saved ${c.name}.`)} onCancel={() => setEditing(null)} />}
              </section>
            ) : (
              <ChannelCard key={channel.id} channel={channel} origin={origin()} onEdit={() => { setSaved(""); setEditing(channel.id); }} />
            ))}
          </div>
        )}
      </QueryState>
    </>
  );
}
