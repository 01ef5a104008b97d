import { Field } from './field';

/** 32 random bytes in standard base64, as `wg genpsk` prints them; made in the browser so it can be shown. */
function newPresharedKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A peer's preshared-key action: generate a new key or paste one, to be saved with the peer. The key is made
 * here and shown, because the client must get it too, and the panel cannot show an adopted peer's client config
 * (it never had the client's private key). Empty keeps the current key.
 */
export function PresharedKeyAction({
  hasKey,
  value,
  error,
  onChange,
}: {
  hasKey: boolean;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  return (
    <fieldset class="psk-action">
      <legend>Preshared key</legend>
      <p class="muted small">
        {hasKey ? 'The peer has one.' : 'The peer has none.'} A new key replaces it on the node when saved;
        give the same key to the client (PresharedKey in its [Peer] section).
      </p>
      <Field
        id="peer-preshared-key"
        label="New preshared key"
        hint="paste one (wg genpsk) or generate it; empty keeps the current key"
        error={error}
      >
        {(props) => (
          <input
            {...props}
            class="mono"
            autoComplete="off"
            spellcheck={false}
            value={value}
            onInput={(event) => onChange(event.currentTarget.value)}
            onFocus={(event) => event.currentTarget.select()}
          />
        )}
      </Field>
      <div class="actions">
        <button type="button" onClick={() => onChange(newPresharedKey())}>
          Generate a new key
        </button>
        {value && (
          <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>
            Copy
          </button>
        )}
      </div>
    </fieldset>
  );
}
