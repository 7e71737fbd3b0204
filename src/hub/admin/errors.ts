/** A problem with what the operator asked for (a file, folder, config or argument): exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
