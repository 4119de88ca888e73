import { useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { useCorrectIntent } from "../api/correct-intent";
import { useIntents } from "../api/get-intents";
import { intentLabel } from "../inbox-logic";
import type { Message } from "../types";

/** "Wrong intent?": a person picks the right one; it is kept as a training example for the next retrain. */
export function IntentCorrection({ message }: { message: Message }) {
  const classification = message.classification;
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState("");
  const intents = useIntents();
  const correct = useCorrectIntent(message.conversation_id);
  const pickerId = useId();
  if (!classification?.id) return null;
  const current = classification.corrected_intent ?? classification.intent;
  return (
    <span className="intent-correction">
      <button type="button" className="link-button" aria-expanded={open} aria-controls={pickerId}
        onClick={() => { setOpen((v) => !v); setSaid(""); }}>
        Wrong intent?
      </button>
      {open && (
        <label id={pickerId} className="inline-field">
          Right intent
          <select value={current} disabled={correct.isPending || intents.isPending}
            onChange={(e) => {
              const intent = e.target.value;
              correct.mutate({ classificationId: classification.id!, intent }, {
                onSuccess: () => { setOpen(false); setSaid(`Intent set to ${intentLabel(intent)}. The AI learns it at its next retrain.`); },
              });
            }}>
            {!(intents.data ?? []).some((i) => i.name === current) && <option value={current}>{intentLabel(current)}</option>}
            {(intents.data ?? []).map((i) => <option key={i.name} value={i.name}>{intentLabel(i.name)}</option>)}
          </select>
        </label>
      )}
      <span role="status" className="live-line">{said}</span>
      {correct.error && <ErrorMessage error={correct.error} />}
    </span>
  );
}
