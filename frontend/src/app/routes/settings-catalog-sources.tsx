import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { useSources } from "@/features/catalog/api/sources";
import { useLiveCatalog } from "@/features/catalog/api/use-live-catalog";
import { SourceHealthCard } from "@/features/catalog/components/source-health";
import { RotateSourceSecret } from "@/features/settings/components/rotate-source-secret";
import { SourceCard } from "@/features/settings/components/source-card";
import { SourceForm } from "@/features/settings/components/source-form";
import { origin } from "@/lib/auth/session";
import { SettingsPage } from "../settings-page";

type Open = { kind: "new" } | { kind: "edit" | "rotate"; id: string } | null;

/** Settings > Catalogue sources: where the shop's products come from, its secrets and its sync health. Admins only. */
export function SettingsCatalogSourcesRoute() {
  const [open, setOpen] = useState<Open>(null);
  const [saved, setSaved] = useState("");
  return (
    <SettingsPage title="Catalogue sources" subtitle="the shops whose products, prices and stock the AI quotes"
      actions={
        <button type="button" className="button button-primary" aria-expanded={open?.kind === "new"}
          onClick={() => { setSaved(""); setOpen(open?.kind === "new" ? null : { kind: "new" }); }}>New catalogue source</button>
      }>
      <Sources open={open} setOpen={setOpen} saved={saved} setSaved={setSaved} />
    </SettingsPage>
  );
}

interface Props {
  open: Open;
  setOpen: (open: Open) => void;
  saved: string;
  setSaved: (message: string) => void;
}

// Rendered only for admins, so no one else's browser asks for the sources.
function Sources({ open, setOpen, saved, setSaved }: Props) {
  const sources = useSources(true);
  useLiveCatalog(); // applied changes refresh each source's health at once
  const done = (message: string) => {
    setOpen(null);
    setSaved(message);
  };
  const isOpen = (kind: "edit" | "rotate", id: string) => open?.kind === kind && open.id === id;
  return (
    <>
      <p role="status" className="live-line notice">{saved}</p>
      {open?.kind === "new" && (
        <section className="card" aria-label="New catalogue source">
          <SourceForm onDone={(s, note) => done(`Created ${s.name}.${note ? ` ${note}` : ""}`)} onCancel={() => setOpen(null)} />
        </section>
      )}
      <QueryState query={sources} loadingLabel="Loading catalogue sources…">
        {(page) => page.items.length === 0 ? (
          <EmptyState title="No catalogue sources yet."><p>Create one to sync your shop's products, prices and stock.</p></EmptyState>
        ) : (
          <div className="channel-list">
            {page.items.map((source) => (
              <SourceCard key={source.id} source={source} origin={origin()}
                onEdit={() => { setSaved(""); setOpen(isOpen("edit", source.id) ? null : { kind: "edit", id: source.id }); }}
                onRotate={() => { setSaved(""); setOpen(isOpen("rotate", source.id) ? null : { kind: "rotate", id: source.id }); }}
                health={<SourceHealthCard source={source} embedded />}>
                {isOpen("edit", source.id) && (
                  <SourceForm source={source} onDone={(s, note) => done(note ?? `Saved ${s.name}.`)} onCancel={() => setOpen(null)} />
                )}
                {isOpen("rotate", source.id) && <RotateSourceSecret source={source} onDone={done} onCancel={() => setOpen(null)} />}
              </SourceCard>
            ))}
          </div>
        )}
      </QueryState>
    </>
  );
}
