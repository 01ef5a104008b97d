/**
 * Lets a module add its own fields to another module's API view (e.g. drift adds `drift_status` to nodes)
 * without the owning module depending on it. Each extension loads what it knows of a whole page in one
 * query, then gives each row's fields from that.
 */
export interface ViewExtension<E extends { id: string }, S> {
  /** What the extension knows of these rows, by row id; a row it knows nothing of is simply absent. */
  load(rows: readonly E[]): Promise<ReadonlyMap<string, S>>;
  /** One row's fields; `state` is undefined when the extension knows nothing of the row. */
  fields(row: E, state: S | undefined): Record<string, unknown>;
}

export class ViewExtensions<E extends { id: string }> {
  private readonly extensions: ViewExtension<E, unknown>[] = [];

  register<S>(extension: ViewExtension<E, S>): void {
    this.extensions.push(extension as ViewExtension<E, unknown>);
  }

  async extras(rows: readonly E[]): Promise<Map<string, Record<string, unknown>>> {
    if (rows.length === 0) return new Map();
    const known = await Promise.all(this.extensions.map((extension) => extension.load(rows)));
    return this.fieldsOf(rows, (index, row) => known[index].get(row.id));
  }

  /** For the answer to a create: nothing refers to the new rows yet, so no extension has to read anything. */
  extrasOfCreated(rows: readonly E[]): Map<string, Record<string, unknown>> {
    return this.fieldsOf(rows, () => undefined);
  }

  private fieldsOf(
    rows: readonly E[],
    stateOf: (extension: number, row: E) => unknown,
  ): Map<string, Record<string, unknown>> {
    return new Map(
      rows.map((row) => [
        row.id,
        Object.assign(
          {},
          ...this.extensions.map((extension, index) => extension.fields(row, stateOf(index, row))),
        ) as Record<string, unknown>,
      ]),
    );
  }
}
