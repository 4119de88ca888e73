import { useId, useMemo, useState, type ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";
import { ApiError } from "@/lib/problem";
import { useRefreshTemplates, useTemplates } from "../api/list-templates";
import { useSendReply } from "../api/send-reply";
import { fieldForError, missingValue, templateFields, templatePreview, templateReply, type TemplateValues } from "../template-logic";
import { SendProblem } from "./send-problem";
import { TemplateFields } from "./template-fields";

interface Props {
  conversationId: string;
  channelId: string;
  to: string;
  /** Why only a template may go out now. */
  notice: ReactNode;
  /** Admins: a button to read Meta's list again now. */
  canRefresh?: boolean;
}

const keyOf = (t: { name: string; language: string }) => `${t.name}|${t.language}`;

/** WhatsApp after the 24-hour window: an approved template, a field for each value it needs (header, body
 * parameters by number or name, the end of a URL button's link), and the text the customer will read. */
export function TemplateComposer({ conversationId, channelId, to, notice, canRefresh = false }: Props) {
  const templates = useTemplates(channelId);
  const refresh = useRefreshTemplates(channelId);
  const send = useSendReply(conversationId);
  const [chosen, setChosen] = useState("");
  const [values, setValues] = useState<TemplateValues>({});
  const [sent, setSent] = useState(false);
  const id = useId();
  const template = templates.data?.items.find((t) => keyOf(t) === chosen);
  const fields = useMemo(() => (template ? templateFields(template) : []), [template]);
  const waiting = template ? missingValue(fields, values) : null;
  const ready = Boolean(template) && waiting === null;
  // The API names the value that did not fit (422 errors[].field): shown under its input, until it is edited.
  const [errors, setErrors] = useState<Record<string, string>>({});

  const choose = (key: string) => {
    setChosen(key);
    setValues({});
    setErrors({});
    setSent(false);
    send.reset();
  };
  const change = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
    setSent(false);
  };
  const submit = () => {
    if (!template || !ready || send.isPending) return;
    setSent(false);
    send.mutate({ template: templateReply(template, values) }, {
      onSuccess: () => {
        choose("");
        setSent(true);
      },
      onError: (error) => {
        const said = error instanceof ApiError ? error.problem.errors ?? [] : [];
        setErrors(Object.fromEntries(said.flatMap((e) => {
          const key = fieldForError(fields, e.field);
          return key ? [[key, e.message]] : [];
        })));
      },
    });
  };

  return (
    <form className="reply-composer template-composer" aria-label="Reply with a template"
      onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <p className="reply-composer-to">Reply to {to}</p>
      {notice}
      {templates.isPending ? <Spinner label="Loading the approved templates…" />
        : templates.error ? <SendProblem error={templates.error} />
        : templates.data.items.length === 0 ? (
          <p className="muted">This WhatsApp Business Account has no approved templates we can send. An admin creates them in WhatsApp Manager.</p>
        ) : (
          <>
            <label htmlFor={`${id}-template`}>Template</label>
            <select id={`${id}-template`} value={chosen} onChange={(e) => choose(e.target.value)}>
              <option value="">Choose an approved template</option>
              {templates.data.items.map((t) => (
                <option key={keyOf(t)} value={keyOf(t)}>{t.name} ({t.language}, {t.category.toLowerCase()})</option>
              ))}
            </select>
            {template && <TemplateFields fields={fields} values={values} onChange={change} errors={errors} />}
            {template && (
              <section className="template-preview" aria-label="Preview">
                <p className="muted">The customer will read:</p>
                <p className="chat-bubble chat-bubble-outbound chat-bubble-text">{templatePreview(template, values)}</p>
              </section>
            )}
            {template && waiting && <p className="muted template-waiting">{waiting}</p>}
          </>
        )}
      <SendProblem error={send.error ?? refresh.error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!ready || send.isPending}>
          {send.isPending ? "Sending…" : "Send template"}
        </button>
        {canRefresh && (
          <button type="button" className="button button-secondary" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
            {refresh.isPending ? "Reading Meta's list…" : "Refresh from Meta"}
          </button>
        )}
        <span role="status" className="live-line">{sent ? "Template queued: its status shows in the thread." : ""}</span>
      </div>
    </form>
  );
}
