import { useState } from 'preact/hooks';
import { api, errorText, expectOk, WgfleetApiError } from '../api';
import type { NodeView } from '../types';
import { Field } from './field';

type Tags = NodeView['tags'];

/** Tags as `k=v, k=v` in key order: the one text form the fields read and show. */
export function tagText(tags: Tags): string {
  return Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join(', ');
}

/** `k=v, k=v` → `["k=v", …]`, the selectors of `?tag=` (the panel checks each one). */
export function tagSelectors(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * `k=v, k=v` → the map; "" → none. An item without `=` is refused before sending, at the field and in the API's
 * error shape; keys and values are the panel's to check (docs/API.md "Node tags").
 */
export function tagsFromText(text: string): Tags {
  const tags: Tags = {};
  for (const item of tagSelectors(text)) {
    const equals = item.indexOf('=');
    if (equals <= 0) {
      const message = `tags: "${item}" is not key=value`;
      throw new WgfleetApiError(400, 'validation_failed', message, [{ field: 'tags', message }]);
    }
    tags[item.slice(0, equals).trim()] = item.slice(equals + 1).trim();
  }
  return tags;
}

export function TagChips({ tags }: { tags: Tags }) {
  const keys = Object.keys(tags).sort();
  if (!keys.length) return null;
  return (
    <ul class="tag-chips" aria-label="Tags">
      {keys.map((key) => (
        <li key={key} class="tag-chip">
          {key}={tags[key]}
        </li>
      ))}
    </ul>
  );
}

/** The node's tags as chips, and for writers one text field that replaces them all. */
export function NodeTags({
  node,
  canWrite,
  onSaved,
}: {
  node: NodeView;
  canWrite: boolean;
  onSaved: () => void;
}) {
  const [text, setText] = useState(() => tagText(node.tags));
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const body = { tags: tagsFromText(text), version: node.version };
      await expectOk(api.PATCH('/api/nodes/{id}', { params: { path: { id: node.id } }, body }));
      setMessage({ kind: 'ok', text: 'Tags saved.' });
      onSaved();
    } catch (caught) {
      const problem = caught instanceof WgfleetApiError ? caught.fieldProblems[0] : undefined;
      if (problem) setError(problem.message);
      else setMessage({ kind: 'error', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      <TagChips tags={node.tags} />
      {!Object.keys(node.tags).length && <p class="muted small">No tags.</p>}
      {canWrite && (
        <form onSubmit={save} noValidate aria-labelledby="tags-title">
          <Field
            id="tags"
            label="Tags"
            hint="key=value, comma separated; empty removes them all"
            error={error}
          >
            {(props) => (
              <input
                {...props}
                name="tags"
                value={text}
                placeholder="region=eu, tier=gold"
                onInput={(event) => setText(event.currentTarget.value)}
              />
            )}
          </Field>
          {message && (
            <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save tags'}
          </button>
        </form>
      )}
    </section>
  );
}
