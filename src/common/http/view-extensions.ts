import { Reactions, type GatherTopic } from '../reactions';

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

/** Where the modules that own a view's added fields contribute their extensions at start-up. */
export type ViewExtensionsTopic<E extends { id: string }, F extends object> = GatherTopic<
  ViewExtension<E, unknown, Partial<F>>
>;

/**
 * The extensions of one view; `F` is every field they add, as the view's response class declares them
 * (each extension gives a part of `F`).
 */
export class ViewExtensions<E extends { id: string }, F extends object> {
  constructor(
    private readonly reactions: Reactions,
    private readonly topic: ViewExtensionsTopic<E, F>,
  ) {}

  /** Loads what every extension knows of these rows; then gives each row's fields. */
  async extras(rows: readonly E[]): Promise<(row: E) => F> {
    const extensions = this.reactions.gather(this.topic);
    const known =
      rows.length === 0 ? [] : await Promise.all(extensions.map((extension) => extension.load(rows)));
    return (row) => fieldsOf(extensions, row, (index) => known[index]?.get(row.id));
  }

  /** For the answer to a create: nothing refers to a new row yet, so no extension has to read anything. */
  extrasOfCreated(row: E): F {
    return fieldsOf(this.reactions.gather(this.topic), row, () => undefined);
  }
}

function fieldsOf<E extends { id: string }, F extends object>(
  extensions: readonly ViewExtension<E, unknown, Partial<F>>[],
  row: E,
  stateOf: (extension: number) => unknown,
): F {
  return Object.assign(
    {},
    ...extensions.map((extension, index) => extension.fields(row, stateOf(index))),
  ) as F;
}
