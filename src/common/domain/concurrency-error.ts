/** Raised when another command appended to the aggregate first; the API answers 409. */
export class ConcurrencyError extends Error {
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`aggregate ${aggregateId} moved past version ${expectedVersion}`);
  }
}
