/**
 * Lets a module add its own fields to another module's API view (e.g. drift adds `drift_status` to nodes)
 * without the owning module depending on it. Each extension answers for a whole page in one query.
 */
export interface ViewExtension<E extends { id: string }> {
  extend(rows: readonly E[]): Promise<Map<string, Record<string, unknown>>>;
  /** The same fields for rows the current request has just created: nothing refers to them yet, so no query. */
  extendCreated(rows: readonly E[]): Map<string, Record<string, unknown>>;
}

export class ViewExtensions<E extends { id: string }> {
  private readonly extensions: ViewExtension<E>[] = [];

  register(extension: ViewExtension<E>): void {
    this.extensions.push(extension);
  }

  async extras(rows: readonly E[]): Promise<Map<string, Record<string, unknown>>> {
    if (rows.length === 0) return new Map();
    return merged(rows, await Promise.all(this.extensions.map((extension) => extension.extend(rows))));
  }

  /** For the answer to a create: the rows are new, so each extension answers without reading anything. */
  extrasOfCreated(rows: readonly E[]): Map<string, Record<string, unknown>> {
    return merged(
      rows,
      this.extensions.map((extension) => extension.extendCreated(rows)),
    );
  }
}

function merged(
  rows: readonly { id: string }[],
  answers: Map<string, Record<string, unknown>>[],
): Map<string, Record<string, unknown>> {
  const fieldsById = new Map<string, Record<string, unknown>>(rows.map((row) => [row.id, {}]));
  for (const answer of answers) {
    for (const [id, fields] of answer) Object.assign(fieldsById.get(id) ?? {}, fields);
  }
  return fieldsById;
}
