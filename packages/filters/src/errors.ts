/** Base class of every error thrown by @smart/filters. */
export class FiltersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A filter setting is out of range (e.g. n-gram size 0). */
export class FilterConfigError extends FiltersError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`invalid filter setting ${field}=${JSON.stringify(value)}: ${reason}`);
  }
}
