/** A request the storage refuses as a whole (mapped to an HTTP status by the server). */
export class StorageRefusal extends Error {
  constructor(
    readonly code: 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_INPUT' | 'PAYLOAD_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'StorageRefusal';
  }
}
