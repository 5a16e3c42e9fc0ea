// Our own version, for the User-Agent, /health and the CLI.
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
