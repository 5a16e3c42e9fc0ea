// The `codex-claude-proxy` command. Thin: every action is a call into the headless core.
import { Command, InvalidArgumentError } from 'commander';
import { createInterface } from 'node:readline/promises';
import { readFile, stat } from 'node:fs/promises';
import { stdin, stdout } from 'node:process';
import open from 'open';
import {
  createCore,
  createAccountsOnly,
  claudeTargetFor,
  configureClaudeCode,
  restoreClaudeCode,
  claudeConfigState,
  VERSION,
  DEFAULT_PORT,
  Settings,
  resolveHome,
  type AccountsHandle,
} from './core/index.js';
import { cliStatusLineCommand, runStatusLine, statusLineOffer } from './core/statusline/index.js';
import { doctorCommand } from './core/doctor/command.js';
import type { StatusLineChoice } from './core/claude/index.js';
import { OPENROUTER_MODEL_CHOICES } from '../shared/openrouter.js';
import { isSelectionStrategy, SELECTION_STRATEGIES, type AccountSummary } from '../shared/api.js';
import { DEFAULT_LANE, LANES, type Lane } from '../shared/models.js';
import type { ReasoningEffort } from '../shared/codex.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535).');
  return port;
}

function describe(a: AccountSummary): string {
  const until = a.status_until ? ` until ${new Date(a.status_until * 1000).toLocaleString()}` : '';
  const five = a.quota.five_hour ? ` 5h ${Math.round(a.quota.five_hour.used_percent)}% used` : '';
  const week = a.quota.weekly ? ` week ${Math.round(a.quota.weekly.used_percent)}% used` : '';
  return `${a.preferred ? '*' : ' '} ${a.id}  ${a.email ?? '(no email)'}  ${a.plan ?? '?'}  ${a.status}${until}${five}${week}`;
}

/** Runs an accounts action against the shared store, then releases it so the process can exit. */
async function withAccounts<T>(fn: (accounts: AccountsHandle) => Promise<T>): Promise<T> {
  const accounts = await createAccountsOnly();
  try {
    return await fn(accounts);
  } finally {
    await accounts.close();
  }
}

/**
 * The API key from a file, so that it never shows in the process list as `--api-key` does. Only a
 * regular file is read (a FIFO would block start-up), and only its first line counts.
 */
async function keyFromFile(file: string): Promise<string> {
  let text: string;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a regular file');
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`Cannot read the API key file ${file} (${reason}).`, { cause: err });
  }
  const key = text.split(/\r?\n/, 1)[0].trim();
  if (!key) throw new Error(`The API key file ${file} is empty: put the key on its first line.`);
  return key;
}

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: stdin, output: stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

const program = new Command()
  .name('codex-claude-proxy')
  .description('Run Claude Code on your ChatGPT subscription through the Codex backend.')
  .version(VERSION);

program
  .command('start')
  .description(`start the proxy server (default 127.0.0.1:${DEFAULT_PORT})`)
  .option('-p, --port <port>', 'port to listen on (env PORT)', parsePort)
  .option('-H, --host <host>', 'address to bind (env HOST); non-loopback requires --api-key')
  .option('--api-key <key>', 'require this key from API clients (env PROXY_API_KEY; visible to other local users)')
  .option('--api-key-file <path>', 'read that key from a file (its first line)')
  .action(async (opts: { port?: number; host?: string; apiKey?: string; apiKeyFile?: string }) => {
    if (opts.apiKey && opts.apiKeyFile) throw new Error('Give --api-key or --api-key-file, not both.');
    const apiKey = opts.apiKeyFile ? await keyFromFile(opts.apiKeyFile) : opts.apiKey;
    const core = await createCore({ port: opts.port, host: opts.host, apiKey, logToStdout: true });
    let url: string;
    try {
      ({ url } = await core.start());
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const port = opts.port ?? DEFAULT_PORT;
      console.error(e.code === 'EADDRINUSE' ? `Port ${port} is already in use. Pick another with --port.` : e.message);
      await core.close();
      process.exitCode = 1;
      return;
    }
    const { total } = core.pool.counts();
    console.log(`Proxy ready at ${url} (dashboard: ${url}/)`);
    if (total === 0)
      console.log('No account yet: run `codex-claude-proxy accounts import` or `codex-claude-proxy accounts add`.');
    console.log(
      `Point Claude Code at it: ANTHROPIC_BASE_URL=${url} ANTHROPIC_AUTH_TOKEN=any claude   (or: codex-claude-proxy claude configure)`,
    );
    const shutdown = (): void => {
      void core.close().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

const accounts = program.command('accounts').description('manage ChatGPT accounts');

accounts
  .command('add')
  .description('log in with a ChatGPT account (opens the browser)')
  .option('--no-browser', 'print the login URL and paste the callback URL or code here (SSH/VM)')
  .action(async (opts: { browser: boolean }) => {
    await withAccounts(async (pool) => {
      const login = await pool.startLogin({ callbackServer: opts.browser });
      console.log(`Open this URL to log in:\n\n  ${login.auth_url}\n`);
      if (opts.browser) {
        await open(login.auth_url).catch(() => console.log('(Could not open a browser; open the URL yourself.)'));
        if (login.callback_error) console.log(login.callback_error);
        else console.log('Waiting for the login to complete in the browser…');
      }
      const account =
        opts.browser && !login.callback_error
          ? await pool.waitForLogin(login.login_id)
          : await pool.completeManual(
              login.login_id,
              await prompt('Paste the URL your browser ended on (or the code): '),
            );
      console.log(`Logged in: ${describe(account)}`);
    });
  });

accounts
  .command('list')
  .description('list accounts with status and quota')
  .action(async () => {
    await withAccounts(async (pool) => {
      const { accounts: list, strategy, secret_store } = await pool.list();
      if (!list.length) console.log('No accounts. Add one with `accounts import` or `accounts add`.');
      for (const a of list) console.log(describe(a));
      console.log(`\nstrategy: ${strategy}   secrets: ${secret_store}`);
    });
  });

accounts
  .command('import')
  .description('import the Codex CLI login ($CODEX_HOME/auth.json or ~/.codex/auth.json)')
  .option('--from <path>', 'path of the auth.json to import')
  .action(async (opts: { from?: string }) => {
    await withAccounts(async (pool) => {
      const account = await pool.importCodexAuth(opts.from);
      console.log(`Imported: ${describe(account)}`);
      for (const w of account.warnings) console.log(`Note: ${w}`);
    });
  });

accounts
  .command('remove <id>')
  .description('remove an account and its tokens')
  .action(async (id: string) => {
    await withAccounts(async (pool) => {
      if (!(await pool.remove(id))) throw new Error(`No account with id ${id}.`);
      console.log(`Removed ${id}.`);
    });
  });

accounts
  .command('switch <id>')
  .description('prefer this account for new requests')
  .action(async (id: string) => {
    await withAccounts(async (pool) => {
      await pool.setPreferred(id);
      console.log(`Preferred account: ${id}.`);
    });
  });

accounts
  .command('refresh [id]')
  .description('refresh tokens and quota of one account (or all)')
  .action(async (id: string | undefined) => {
    await withAccounts(async (pool) => {
      const ids = id ? [id] : (await pool.list()).accounts.map((a) => a.id);
      for (const one of ids) console.log(describe(await pool.refresh(one)));
    });
  });

accounts
  .command('strategy <strategy>')
  .description(`account selection: ${SELECTION_STRATEGIES.join(' | ')}`)
  .action(async (strategy: string) => {
    if (!isSelectionStrategy(strategy)) throw new Error(`strategy must be one of ${SELECTION_STRATEGIES.join(', ')}.`);
    await withAccounts(async (pool) => {
      await pool.setStrategy(strategy);
      console.log(`Strategy: ${strategy}.`);
    });
  });

const claude = program.command('claude').description("configure Claude Code's settings.json to use this proxy");

/** --statusline / --no-statusline, else the question on a terminal, else ours only where there is none. */
async function statusLineChoice(flag: boolean | undefined): Promise<StatusLineChoice> {
  if (flag !== undefined) return flag ? 'install' : 'skip';
  const offer = stdin.isTTY ? statusLineOffer((await claudeConfigState({})).status_line ?? 'none') : null;
  return offer ? offer.choiceFor(await prompt(offer.question)) : 'auto';
}

claude
  .command('configure')
  .description('write ANTHROPIC_BASE_URL and friends into Claude Code settings (backs up the old file)')
  .option('-p, --port <port>', 'port the proxy listens on', parsePort)
  .option('--statusline', "install the proxy's status line, replacing yours (restore puts yours back)")
  .option('--no-statusline', 'leave the status line alone (and remove ours)')
  .action(async (opts: { port?: number; statusline?: boolean }) => {
    const choice = await statusLineChoice(opts.statusline);
    const target = await claudeTargetFor({ port: opts.port });
    const state = await configureClaudeCode({ ...target, statusLine: { choice, command: cliStatusLineCommand() } });
    console.log(`Claude Code now uses ${state.base_url} (settings: ${state.settings_path}).`);
    console.log(`Auto-compaction window: ${target.contextWindow} tokens (the smallest window of the lanes' models).`);
    console.log('Permission mode "default", auto mode off: auto mode needs a safety check only Anthropic can run.');
    if (state.status_line === 'proxy')
      console.log('Status line: model, context window and quota (codex-claude-proxy statusline).');
    if (state.status_line === 'own') console.log('Status line: yours is kept (--statusline replaces it).');
  });

claude
  .command('restore')
  .description('put the previous Claude Code settings back')
  .action(async () => {
    const state = await restoreClaudeCode({});
    console.log(`Restored ${state.settings_path}.`);
  });

claude
  .command('status')
  .description('show whether Claude Code points at this proxy')
  .action(async () => {
    const state = await claudeConfigState({});
    console.log(JSON.stringify(state, null, 2));
  });

program
  .command('statusline')
  .description("print one line for Claude Code's statusLine setting (reads its JSON on stdin; never blocks)")
  .action(async () => {
    await runStatusLine({
      stdin,
      env: process.env,
      defaultBaseUrl: `http://127.0.0.1:${DEFAULT_PORT}`,
      write: (line) => stdout.write(`${line}\n`),
    });
  });

/** Runs an action on the saved settings (lanes, OpenRouter lane); a running server picks changes up. */
function withSettings<T>(fn: (settings: Settings) => T): T {
  const settings = new Settings(resolveHome());
  try {
    return fn(settings);
  } finally {
    settings.close();
  }
}

const models = program.command('models').description('the Claude → Codex model lanes');

models
  .command('list')
  .description('show the lane map')
  .action(() => {
    withSettings((settings) => {
      for (const lane of LANES) {
        const cfg = settings.lanes[lane];
        console.log(`${lane.padEnd(6)} → ${cfg.model}${cfg.effort ? ` (effort ${cfg.effort})` : ''}`);
      }
    });
  });

models
  .command('set <lane> <model>')
  .description('send a lane (opus | sonnet | haiku) to a Codex model')
  .option('--effort <effort>', 'fixed reasoning effort for the lane ("" to clear)')
  .action((lane: string, model: string, opts: { effort?: string }) => {
    if (!LANES.includes(lane as Lane)) throw new Error(`lane must be one of ${LANES.join(', ')}.`);
    withSettings((settings) => {
      // Settings validates the effort name; an empty string clears the lane's fixed effort.
      const change =
        opts.effort === undefined
          ? { model }
          : { model, effort: (opts.effort || undefined) as ReasoningEffort | undefined };
      settings.setLanes({ [lane as Lane]: change });
      console.log(`${lane} → ${model}`);
    });
  });

models
  .command('family <family> <lane>')
  .description('send a Claude family (e.g. fable, mythos) to another lane; "default" restores it')
  .action((family: string, lane: string) => {
    withSettings((settings) => {
      const table = settings.setFamily(family, lane === 'default' ? null : (lane as Lane));
      console.log(`${family} → ${table[family.toLowerCase()] ?? DEFAULT_LANE}`);
    });
  });

const openrouter = program.command('openrouter').description('optional Haiku lane through OpenRouter');

openrouter
  .command('status')
  .description('show whether haiku requests go to OpenRouter')
  .action(async () => {
    const cfg = withSettings((settings) => settings.openrouter);
    const hasKey = await withAccounts(async (pool) => (await pool.getOpenRouterKey()) !== null);
    console.log(`enabled: ${cfg.enabled}   model: ${cfg.model}   key: ${hasKey ? 'stored' : 'missing'}`);
  });

openrouter
  .command('enable')
  .description('send haiku-family requests to OpenRouter (falls back to Codex on failure)')
  .option('--model <slug>', `OpenRouter model (${OPENROUTER_MODEL_CHOICES.map((m) => m.id).join(', ')} or any slug)`)
  .action(async (opts: { model?: string }) => {
    const hasKey = await withAccounts(async (pool) => (await pool.getOpenRouterKey()) !== null);
    const cfg = withSettings((settings) =>
      settings.setOpenRouter({ enabled: true, ...(opts.model ? { model: opts.model } : {}) }),
    );
    console.log(
      `OpenRouter lane enabled with ${cfg.model}.${hasKey ? '' : ' No key yet: run `codex-claude-proxy openrouter key`.'}`,
    );
  });

openrouter
  .command('disable')
  .description('send haiku requests to Codex again')
  .action(() => {
    withSettings((settings) => settings.setOpenRouter({ enabled: false }));
    console.log('OpenRouter lane disabled.');
  });

openrouter
  .command('key')
  .description('store the OpenRouter API key in the secret store (reads it from stdin)')
  .option('--remove', 'delete the stored key')
  .action(async (opts: { remove?: boolean }) => {
    const key = opts.remove ? null : await prompt('OpenRouter API key: ');
    if (key !== null && !key) throw new Error('No key given.');
    await withAccounts((pool) => pool.setOpenRouterKey(key));
    console.log(key ? 'Key stored.' : 'Key removed.');
  });

program
  .command('doctor')
  .description('check everything the proxy depends on, one line each, with the fix for what fails')
  .option('-p, --port <port>', 'port the proxy listens on (default: PORT, the settings, 8081)', parsePort)
  .option('--refresh', "refresh every account's tokens (a dry run leaves them alone)")
  .option('--live', 'send one tiny streamed request per lane (spends a little quota)')
  .action(async (opts: { port?: number; refresh?: boolean; live?: boolean }) => {
    const report = await doctorCommand({
      env: process.env,
      port: opts.port,
      refresh: opts.refresh ?? false,
      live: opts.live ?? false,
      write: (line) => console.log(line),
    });
    if (report.counts.fail > 0) process.exitCode = 1;
  });

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
