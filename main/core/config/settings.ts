// Core settings that every front end (CLI, server, desktop) shares: the model lanes and the
// optional OpenRouter lane. Stored as config.json in the data dir; `conf` writes atomically and
// watches the file, so a change made by the CLI reaches a running server without a restart.
import Conf from 'conf';
import { EventEmitter } from 'node:events';
import {
  CLAUDE_FAMILIES,
  DEFAULT_LANES,
  LANES,
  type Lane,
  type LaneConfig,
  type LaneMap,
} from '../../../shared/models.js';
import { isReasoningEffort, REASONING_EFFORTS } from '../../../shared/codex.js';
import { DEFAULT_OPENROUTER_MODEL } from '../../../shared/openrouter.js';
import { identityProblem, type IdentitySettings } from '../upstream/identity.js';

export interface OpenRouterSettings {
  enabled: boolean;
  model: string;
}

interface SettingsShape {
  lanes: LaneMap;
  openrouter: OpenRouterSettings;
  /** Port the server listens on when neither --port nor PORT says otherwise (desktop settings). */
  port?: number;
  /** Claude families mapped to another lane than CLAUDE_FAMILIES says (e.g. `{"fable": "sonnet"}`). */
  families?: Record<string, Lane>;
  /** The client identity presented upstream (upstream/identity.ts); absent fields take defaults. */
  identity?: IdentitySettings;
}

/** A hand-edited `families` entry that names no lane is ignored rather than failing requests. */
function validFamilies(stored: unknown): Record<string, Lane> {
  if (!stored || typeof stored !== 'object') return {};
  return Object.fromEntries(
    Object.entries(stored).filter((entry): entry is [string, Lane] => LANES.includes(entry[1] as Lane)),
  );
}

export class Settings extends EventEmitter {
  private readonly conf: Conf<SettingsShape>;
  private readonly unsubscribe: () => void;

  constructor(home: string) {
    super();
    this.conf = new Conf<SettingsShape>({
      cwd: home,
      configName: 'config',
      defaults: { lanes: DEFAULT_LANES, openrouter: { enabled: false, model: DEFAULT_OPENROUTER_MODEL } },
      watch: true,
      configFileMode: 0o600,
      clearInvalidConfig: false,
    });
    this.unsubscribe = this.conf.onDidAnyChange(() => {
      this.cachedLanes = null;
      this.cachedFamilies = null;
      this.emit('change');
    });
  }

  // conf re-reads config.json on every get; requests read the lanes constantly, so they are kept
  // here and dropped whenever the file changes (from this process or another).
  private cachedLanes: LaneMap | null = null;

  get lanes(): LaneMap {
    this.cachedLanes ??= this.readLanes();
    return structuredClone(this.cachedLanes);
  }

  private readLanes(): LaneMap {
    const stored = this.conf.get('lanes') ?? DEFAULT_LANES;
    // A hand-edited file may lack a lane: fall back per lane rather than failing requests.
    const lanes = {} as LaneMap;
    for (const lane of LANES) lanes[lane] = { ...DEFAULT_LANES[lane], ...(stored[lane] ?? {}) };
    return lanes;
  }

  /** Validates and merges lane changes; throws a message a person can act on. */
  setLanes(update: Partial<Record<Lane, Partial<LaneConfig>>>): LaneMap {
    const next = this.lanes;
    for (const [lane, change] of Object.entries(update)) {
      if (!LANES.includes(lane as Lane)) throw new Error(`Unknown lane "${lane}". Lanes are: ${LANES.join(', ')}.`);
      if (!change || typeof change !== 'object')
        throw new Error(`Lane "${lane}" must be an object like {"model": "gpt-5.5"}.`);
      const merged: LaneConfig = { ...next[lane as Lane] };
      if (change.model !== undefined) {
        if (typeof change.model !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(change.model)) {
          throw new Error(`Lane "${lane}": model must be a Codex model slug such as "gpt-5.5".`);
        }
        merged.model = change.model;
      }
      if ('effort' in change) {
        if (change.effort === undefined || change.effort === null || (change.effort as string) === '')
          delete merged.effort;
        else if (!isReasoningEffort(change.effort)) {
          throw new Error(`Lane "${lane}": effort must be one of ${REASONING_EFFORTS.join(', ')}.`);
        } else merged.effort = change.effort;
      }
      next[lane as Lane] = merged;
    }
    this.conf.set('lanes', next);
    this.cachedLanes = null;
    return next;
  }

  get openrouter(): OpenRouterSettings {
    return this.conf.get('openrouter');
  }

  setOpenRouter(update: Partial<OpenRouterSettings>): OpenRouterSettings {
    const next = { ...this.openrouter, ...update };
    if (typeof next.enabled !== 'boolean') throw new Error('openrouter.enabled must be true or false.');
    if (typeof next.model !== 'string' || !next.model.includes('/')) {
      throw new Error('openrouter.model must be an OpenRouter model slug such as "minimax/minimax-m2.5".');
    }
    this.conf.set('openrouter', next);
    return next;
  }

  get port(): number | undefined {
    return this.conf.get('port');
  }

  setPort(port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('port must be a number from 1 to 65535.');
    this.conf.set('port', port);
  }

  /** The family → lane table: the built-in one with the user's own mappings over it. */
  get families(): Readonly<Record<string, Lane>> {
    this.cachedFamilies ??= { ...CLAUDE_FAMILIES, ...validFamilies(this.conf.get('families')) };
    return this.cachedFamilies;
  }

  private cachedFamilies: Record<string, Lane> | null = null;

  /** Maps a Claude family (a word of its ids, like `fable`) to a lane; `null` restores the default. */
  setFamily(family: string, lane: Lane | null): Readonly<Record<string, Lane>> {
    const name = family.trim().toLowerCase();
    if (!/^[a-z][a-z0-9]{1,30}$/.test(name))
      throw new Error(`"${family}" is not a Claude family name such as "fable".`);
    if (lane !== null && !LANES.includes(lane)) throw new Error(`Lane must be one of ${LANES.join(', ')}.`);
    const next = { ...(this.conf.get('families') ?? {}) };
    if (lane === null) delete next[name];
    else next[name] = lane;
    this.conf.set('families', next);
    this.cachedFamilies = null;
    return this.families;
  }

  get identity(): IdentitySettings {
    return { ...(this.conf.get('identity') ?? {}) };
  }

  /** Merges identity changes; an empty string puts a field back to its default. */
  setIdentity(update: Partial<Record<keyof IdentitySettings, string | null>>): IdentitySettings {
    const next: IdentitySettings = this.identity;
    for (const key of ['originator', 'clientVersion', 'userAgentProduct'] as const) {
      if (!(key in update)) continue;
      const value = update[key];
      if (value === null || value === undefined || value === '') delete next[key];
      else if (typeof value !== 'string') throw new Error(`identity.${key} must be a string.`);
      else next[key] = value.trim();
    }
    const problem = identityProblem(next);
    if (problem) throw new Error(`Upstream identity: ${problem}.`);
    this.conf.set('identity', next);
    return next;
  }

  close(): void {
    this.unsubscribe();
    this.removeAllListeners();
  }
}
