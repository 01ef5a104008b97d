/**
 * Lets a module add its own fields to another module's API view (e.g. drift adds `drift_status` to nodes)
 * without the owning module depending on it. Each extension answers for a whole page in one query.
 */
export interface ViewExtension<E extends { id: string }> {
  extend(rows: readonly E[]): Promise<Map<string, Record<string, unknown>>>;
}

export class ViewExtensions<E extends { id: string }> {
  private readonly extensions: ViewExtension<E>[] = [];

  register(extension: ViewExtension<E>): void {
    this.extensions.push(extension);
  }

  async extras(rows: readonly E[]): Promise<Map<string, Record<string, unknown>>> {
    const merged = new Map<string, Record<string, unknown>>(rows.map((row) => [row.id, {}]));
    if (rows.length === 0) return merged;
    for (const answers of await Promise.all(this.extensions.map((extension) => extension.extend(rows)))) {
      for (const [id, fields] of answers) Object.assign(merged.get(id) ?? {}, fields);
    }
    return merged;
  }
}
