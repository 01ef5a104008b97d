/** A search field with a label for screen readers; the page decides what it searches. */
export function SearchBox({
  label,
  placeholder,
  value,
  onInput,
}: {
  label: string;
  placeholder: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label class="search">
      <span class="sr-only">{label}</span>
      <input
        type="search"
        placeholder={placeholder}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </label>
  );
}
