import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useUpdatePolicy } from "../api/policy";
import { policyChanges, policySchema, valuesFromPolicy, type PolicyValues } from "../policy-form-logic";
import { MODE_LABELS, RULE_LABELS, type Policy } from "../types";

/** The AI reply policy: mode, thresholds, caps, quiet hours and a rule per intent. */
export function PolicyForm({ policy }: { policy: Policy }) {
  const update = useUpdatePolicy();
  const [saved, setSaved] = useState("");
  const form = useForm<PolicyValues>({ resolver: zodResolver(policySchema), values: valuesFromPolicy(policy) });
  const { errors, isSubmitting } = form.formState;
  const quietOn = form.watch("quiet_on");
  const number = { valueAsNumber: true } as const;

  const submit = form.handleSubmit(async (values) => {
    setSaved("");
    const changes = policyChanges(policy, values);
    if (Object.keys(changes).length === 0) {
      setSaved("Nothing changed.");
      return;
    }
    const after = await update.mutateAsync(changes).catch(() => null);
    if (after) setSaved("AI policy saved. The next message is decided with it.");
  });

  return (
    <form className="card policy-form" aria-label="AI policy" onSubmit={submit} noValidate>
      <h2>Policy</h2>
      <div className="form-grid">
        <Field label="Mode"><select {...form.register("mode")}>{Object.entries(MODE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></Field>
        <Field label="Reply provider"><select {...form.register("provider")}><option value="local">Local grounded composer</option><option value="openai">OpenAI-compatible endpoint</option></select></Field>
        <Field label="Auto-send threshold (%)" error={errors.auto_send?.message} hint="At or above: sent on its own when grounded.">
          <input type="number" min={0} max={100} step={1} {...form.register("auto_send", number)} />
        </Field>
        <Field label="Approval threshold (%)" error={errors.approval?.message} hint="Below: escalated to a person, no draft.">
          <input type="number" min={0} max={100} step={1} {...form.register("approval", number)} />
        </Field>
        <Field label="Automatic replies per contact per day" error={errors.daily_cap?.message}>
          <input type="number" min={0} max={1000} step={1} {...form.register("daily_cap", number)} />
        </Field>
        <Field label="Oldest catalogue data to quote (minutes)" error={errors.max_lag_minutes?.message}>
          <input type="number" min={1} step="any" {...form.register("max_lag_minutes", number)} />
        </Field>
        <Field label="Retrain after this many reviews" error={errors.retrain_after?.message} hint="Reviewed messages with a confirmed intent queue a retrain.">
          <input type="number" min={1} step={1} {...form.register("retrain_after", number)} />
        </Field>
        <Field label="Signature" error={errors.signature?.message}><input type="text" {...form.register("signature")} /></Field>
      </div>
      <fieldset className="form-section">
        <legend>Quiet hours</legend>
        <label className="checkbox-field"><input type="checkbox" {...form.register("quiet_on")} /> Send nothing automatically during quiet hours</label>
        {quietOn && (
          <div className="form-grid">
            <Field label="From" error={errors.quiet_start?.message}><input type="time" {...form.register("quiet_start")} /></Field>
            <Field label="Until"><input type="time" {...form.register("quiet_end")} /></Field>
            <Field label="Time zone" error={errors.quiet_timezone?.message} hint="For example Europe/Berlin."><input type="text" {...form.register("quiet_timezone")} /></Field>
          </div>
        )}
      </fieldset>
      <fieldset className="form-section">
        <legend>Per intent</legend>
        <div className="intent-rules">
          {Object.keys(policy.intent_rules ?? {}).sort().map((intent) => (
            <Field key={intent} label={intent.replace(/_/g, " ")}>
              <select {...form.register(`rules.${intent}`)}>
                {Object.entries(RULE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
              </select>
            </Field>
          ))}
        </div>
      </fieldset>
      {update.error ? <ErrorMessage error={update.error} /> : null}
      <p role="status" className="live-line notice">{saved}</p>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{isSubmitting ? "Saving…" : "Save policy"}</button>
      </div>
    </form>
  );
}
