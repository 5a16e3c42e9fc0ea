// A client request the translator cannot serve: a ClientError like every other (util/client-error.ts),
// named for the room that throws it so a test can tell it from the rest.
import { ClientError } from '../util/client-error.js';

export class RequestError extends ClientError {
  override readonly name = 'RequestError';
}
