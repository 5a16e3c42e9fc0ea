// Failures of account operations that a person can act on: ClientErrors (util/client-error.ts),
// so the server answers them as they are, with the error type and status they carry.
import { ClientError } from '../util/client-error.js';

export class AccountsError extends ClientError {
  override readonly name = 'AccountsError';
}
