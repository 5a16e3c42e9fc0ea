// Account metadata (never secrets) in `<home>/accounts.json`. Every change is a locked
// read-modify-write that ends in an atomic rename, so a writer killed at any instant leaves either
// the old or the new file, and a CLI writing while the server runs cannot overwrite the server's
// changes (or the other way round). Readers notice other processes' writes by the file's stamp.
import { watch, type FSWatcher } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {
  isSelectionStrategy,
  type AccountQuota,
  type AccountStatus,
  type SelectionStrategy,
} from '../../../shared/api.js';
import { withFileLock } from '../secrets/file-lock.js';
import { AccountsError } from './errors.js';
import type { CooldownCause } from '../upstream/failure.js';

export interface AccountRecord {
  /** Our id: stable for one ChatGPT account + user, so signing in again updates in place. */
  id: string;
  /** `chatgpt_account_id`. */
  account_id: string;
  user_id: string | null;
  email: string | null;
  plan: string | null;
  source: 'oauth' | 'codex-import';
  added_at: string;
  updated_at: string;
  status: AccountStatus;
  /** Unix seconds: end of a cooldown, or when the access token dies for needs_relogin. */
  status_until: number | null;
  status_reason: string | null;
  /** Machine-readable cause of a cooldown (see outcome.ts). */
  status_cause: CooldownCause | null;
  quota: AccountQuota;
}

export interface AccountsFile {
  version: 1;
  strategy: SelectionStrategy;
  preferred: string | null;
  accounts: AccountRecord[];
}

export const ACCOUNTS_FILE = 'accounts.json';
/** write-file-atomic's temp file for accounts.json: the name, a dot and a decimal number. */
const TEMP_FILE = /^accounts\.json\.\d+$/;
const STATUSES: readonly AccountStatus[] = ['active', 'cooldown', 'needs_relogin', 'disabled'];

export function emptyQuota(): AccountQuota {
  return { five_hour: null, weekly: null, plan_type: null, updated_at: null };
}

function emptyFile(): AccountsFile {
  return { version: 1, strategy: 'sticky', preferred: null, accounts: [] };
}

type Loose = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function normalizeRecord(raw: Loose): AccountRecord | null {
  const id = str(raw.id);
  const accountId = str(raw.account_id);
  if (!id || !accountId) return null;
  const quota =
    raw.quota && typeof raw.quota === 'object' ? { ...emptyQuota(), ...(raw.quota as AccountQuota) } : emptyQuota();
  const status = STATUSES.includes(raw.status as AccountStatus) ? (raw.status as AccountStatus) : 'active';
  const addedAt = str(raw.added_at) ?? new Date(0).toISOString();
  return {
    id,
    account_id: accountId,
    user_id: str(raw.user_id),
    email: str(raw.email),
    plan: str(raw.plan),
    source: raw.source === 'codex-import' ? 'codex-import' : 'oauth',
    added_at: addedAt,
    updated_at: str(raw.updated_at) ?? addedAt,
    status,
    status_until: num(raw.status_until),
    status_reason: str(raw.status_reason),
    status_cause: str(raw.status_cause) as CooldownCause | null,
    quota,
  };
}

/** Tolerant of older or hand-edited files; only unparseable JSON is an error. */
export function parseAccountsFile(text: string, file: string): AccountsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AccountsError('api_error', `${file} is not valid JSON (${(err as Error).message}); fix or move it away.`);
  }
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Loose;
  const accounts = Array.isArray(obj.accounts)
    ? obj.accounts.flatMap((a) => (a && typeof a === 'object' ? (normalizeRecord(a as Loose) ?? []) : []))
    : [];
  return {
    version: 1,
    strategy: isSelectionStrategy(obj.strategy) ? obj.strategy : 'sticky',
    preferred: str(obj.preferred),
    accounts,
  };
}

async function stampOf(file: string): Promise<string | null> {
  try {
    const st = await fs.stat(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export class AccountStore {
  readonly file: string;
  private readonly lockPath: string;
  private snapshot: AccountsFile = emptyFile();
  private stamp: string | null = null;
  private foreign = 0;
  /** update() calls of this process: started so far, and running now. */
  private updatesStarted = 0;
  private updatesRunning = 0;

  private constructor(readonly home: string) {
    this.file = path.join(home, ACCOUNTS_FILE);
    this.lockPath = path.join(home, 'locks', `${ACCOUNTS_FILE}.lock`);
  }

  static async open(home: string): Promise<AccountStore> {
    await fs.mkdir(home, { recursive: true });
    const store = new AccountStore(home);
    await store.reloadIfChanged();
    return store;
  }

  /** The last state read or written by this process. */
  get current(): AccountsFile {
    return this.snapshot;
  }

  /**
   * How many times this process found the file rewritten by another one, whether by a reload or
   * inside update(): a change of this number means what was derived from older state may be stale.
   */
  get foreignWrites(): number {
    return this.foreign;
  }

  /** Re-reads the file when another process replaced it. True when something was re-read. */
  async reloadIfChanged(): Promise<boolean> {
    // A running update of ours would look like another process's write between its rename and its
    // new stamp; it reads the newest file and counts foreign writes under the lock anyway.
    if (this.updatesRunning > 0) return false;
    const started = this.updatesStarted;
    const stamp = await stampOf(this.file);
    if (stamp === this.stamp) return false;
    const fresh = await this.readFresh();
    if (started !== this.updatesStarted) return false;
    this.snapshot = fresh;
    this.stamp = stamp;
    this.foreign++;
    return true;
  }

  /**
   * Applies `mutate` to the newest state on disk under the cross-process lock and writes it back
   * atomically. A mutator that throws leaves the file untouched.
   */
  async update<T>(mutate: (draft: AccountsFile) => T): Promise<T> {
    this.updatesStarted++;
    this.updatesRunning++;
    try {
      return await this.updateLocked(mutate);
    } finally {
      this.updatesRunning--;
    }
  }

  private updateLocked<T>(mutate: (draft: AccountsFile) => T): Promise<T> {
    return withFileLock(this.lockPath, async () => {
      if ((await stampOf(this.file)) !== this.stamp) this.foreign++;
      const draft = await this.readFresh();
      const result = mutate(draft);
      await writeFileAtomic(this.file, JSON.stringify(draft, null, 2) + '\n', { mode: 0o600 });
      this.snapshot = draft;
      this.stamp = await stampOf(this.file);
      return result;
    });
  }

  /** Whether the file on disk lists the account right now, whatever this process last saw. */
  async listsOnDisk(id: string): Promise<boolean> {
    return (await this.readFresh()).accounts.some((r) => r.id === id);
  }

  /**
   * Deletes the temp files of writers killed mid-write. Writers create theirs under the lock, so
   * what is there while this process holds it belongs to a dead one. Returns how many.
   */
  async sweepTemps(): Promise<number> {
    const temps = async (): Promise<string[]> => (await fs.readdir(this.home)).filter((name) => TEMP_FILE.test(name));
    if (!(await temps()).length) return 0;
    return withFileLock(this.lockPath, async () => {
      const found = await temps();
      for (const name of found) await fs.rm(path.join(this.home, name), { force: true });
      return found.length;
    });
  }

  /** Calls `onChange` soon after another process rewrites the file (best effort; stamps are the guarantee). */
  watch(onChange: () => void): () => void {
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(this.home, { persistent: false }, (_event, name) => {
        if (name === ACCOUNTS_FILE) onChange();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // Some file systems cannot be watched; the pool's periodic reloadIfChanged() still sees changes.
    }
    return () => watcher?.close();
  }

  private async readFresh(): Promise<AccountsFile> {
    try {
      return parseAccountsFile(await fs.readFile(this.file, 'utf8'), this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyFile();
      throw err;
    }
  }
}
