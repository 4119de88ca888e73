import { diffWords } from "diff";

/** What the edit changes, word by word: removed words struck through, added ones underlined. */
export function EditDiff({ before, after }: { before: string; after: string }) {
  const parts = diffWords(before, after);
  if (!parts.some((p) => p.added || p.removed)) return <p className="muted">No changes: the draft will be sent as it is.</p>;
  return (
    <p className="edit-diff" aria-label="Your changes">
      {parts.map((part, i) => {
        if (part.added) return <ins key={i}><span className="visually-hidden">added: </span>{part.value}</ins>;
        if (part.removed) return <del key={i}><span className="visually-hidden">removed: </span>{part.value}</del>;
        return <span key={i}>{part.value}</span>;
      })}
    </p>
  );
}
