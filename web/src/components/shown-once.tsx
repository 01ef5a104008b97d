/** A secret the panel shows once (a new token, a webhook secret): copy it now, it will not be shown again. */
export function ShownOnce({
  label,
  value,
  onDismiss,
}: {
  label: string;
  value: string;
  onDismiss: () => void;
}) {
  return (
    <div class="alert alert-warn shown-once" role="alert">
      <p>
        <strong>{label}</strong> — shown once, copy it now:
      </p>
      <input readOnly value={value} aria-label={label} onFocus={(event) => event.currentTarget.select()} />
      <div class="actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
