/**
 * Lets a module add its own fields to another module's API view (e.g. drift adds `drift_status` to nodes)
 * without the owning module depending on it. Each extension loads what it knows of a whole page in one
 * query, then gives each row's fields from that.
 */
export interface ViewExtension<E extends { id: string }, S, F extends object> {
  /** What the extension knows of these rows, by row id; a row it knows nothing of is simply absent. */
  load(rows: readonly E[]): Promise<ReadonlyMap<string, S>>;
  /** One row's fields, with a value for each even when `state` is undefined (the extension knows nothing of the row). */
  fields(row: E, state: S | undefined): F;
}

/**
 * The extensions of one view; `F` is every field they add, as the view's response class declares them
 * (each extension gives a part of `F`; the modules that own those parts register them at start-up).
 */
export class ViewExtensions<E extends { id: string }, F extends object> {
  private readonly extensions: ViewExtension<E, unknown, Partial<F>>[] = [];

  register<S>(extension: ViewExtension<E, S, Partial<F>>): void {
    this.extensions.push(extension as ViewExtension<E, unknown, Partial<F>>);
  }

  /** Loads what every extension knows of these rows; then gives each row's fields. */
  async extras(rows: readonly E[]): Promise<(row: E) => F> {
    const known =
      rows.length === 0 ? [] : await Promise.all(this.extensions.map((extension) => extension.load(rows)));
    return (row) => this.fieldsOf(row, (index) => known[index]?.get(row.id));
  }

  /** For the answer to a create: nothing refers to a new row yet, so no extension has to read anything. */
  extrasOfCreated(row: E): F {
    return this.fieldsOf(row, () => undefined);
  }

  private fieldsOf(row: E, stateOf: (extension: number) => unknown): F {
    return Object.assign(
      {},
      ...this.extensions.map((extension, index) => extension.fields(row, stateOf(index))),
    ) as F;
  }
}
