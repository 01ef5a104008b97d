import { WgfleetApiError } from '../api';
import type { ComponentChildren } from 'preact';

/**
 * An API problem in the form's words: the API names the field ("override_mtu must not be less than 1280"),
 * the person sees its label ("Client MTU must not be less than 1280"); an item of a list keeps its number.
 */
export function inFormWords(message: string, apiField: string, label: string): string {
  if (!message.startsWith(apiField)) return message;
  const rest = message.slice(apiField.length);
  const item = /^\[(\d+)\]/.exec(rest);
  if (item) return `${label} (item ${Number(item[1]) + 1})${rest.slice(item[0].length)}`;
  return /^\s/.test(rest) ? label + rest : message;
}

/**
 * A labelled input whose API error shows under it, in the label's words, and is announced with it. `field` is
 * the API's name for it when that is not the id.
 */
export function Field({
  id,
  field = id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  field?: string;
  label: string;
  error?: string;
  hint?: string;
  children: (props: {
    id: string;
    'aria-invalid'?: boolean;
    'aria-describedby'?: string;
  }) => ComponentChildren;
}) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${error ? 'has-error' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <small id={`${id}-hint`} class="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error" role="alert">
          {inFormWords(error, field, label)}
        </small>
      )}
    </div>
  );
}

/** "a, b" → ["a", "b"]; empty → null (no override). */
export function listOrNull(text: string): string[] | null {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : null;
}

/**
 * "" → null; a whole number → that number. The API's body types take only numbers here, so other text is
 * refused before sending, at its field and in the API's own words and error shape.
 */
export function numberOrNull(field: string, text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (!/^-?\d+$/.test(trimmed)) {
    const message = `${field} must be an integer number`;
    throw new WgfleetApiError(400, 'validation_failed', message, [{ field, message }]);
  }
  return Number(trimmed);
}
