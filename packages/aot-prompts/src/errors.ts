/** Base class of every error thrown by @smart/aot-prompts. */
export class AotPromptsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A prompt was asked for an option letter that the item does not have. */
export class UnknownOptionError extends AotPromptsError {
  constructor(
    readonly letter: string,
    readonly available: string[],
  ) {
    super(`option ${letter} is not among the item's options (${available.join(', ')})`);
  }
}

/** A negative prompt needs at least one wrong option. */
export class NoWrongOptionError extends AotPromptsError {
  constructor(readonly answer: string) {
    super(`item has no option other than the correct answer ${answer}`);
  }
}
