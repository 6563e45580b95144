/**
 * Feature flags through OpenFeature (`@openfeature/server-sdk`). The provider reads the evaluated-flags document the
 * platform serves, `{ "<flag>": { "enabled": true|false, "<attribute>": <number> } }`, from `FLAGS_URL`:
 *
 * - `http://localhost:2772/applications/<app>/environments/<env>/configurations/<profile>`: the AWS AppConfig agent
 *   sidecar on ECS (it polls AppConfig, the service polls it);
 * - `file:///etc/platform/flags/flags.json`: a Kubernetes ConfigMap mounted as a file (the kubelet refreshes it).
 *
 * The service polls the source every `FLAGS_POLL_INTERVAL_MS` with a `FLAGS_TIMEOUT_MS` timeout and re-evaluates its
 * flags through the OpenFeature client after each read, so the request path reads a snapshot (no I/O, no await).
 * Flags are off until the first successful read: an unreachable source never fails startup or readiness. After that a
 * failed read keeps the values last read (a kill switch turned on in an incident must not turn off because one poll
 * failed); the log says when the source stops and starts answering. Without `FLAGS_URL` no provider is registered and
 * every flag keeps its default (off).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ErrorCode, OpenFeature, StandardResolutionReasons } from '@openfeature/server-sdk';
import type { Client, JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk';

/** The operational flags the service honours (the platform declares the same keys: constructs/core/release/flags.ts). */
export const FLAG_KEYS = {
  /** Reads skip L2: in-process cache, then the database. */
  cacheBypass: 'cache-bypass',
  /** Writes answer 503 + Retry-After. */
  readOnly: 'read-only',
  /** Admission admits `admitPercent` of MAX_IN_FLIGHT. */
  shedMore: 'shed-more',
} as const;
/** The attribute of shed-more: percent of the usual in-flight limit admitted. */
export const SHED_MORE_ADMIT_PERCENT = 'admitPercent';
/** The features with a kill switch (`kill-<feature>`). */
export const KILLABLE_FEATURES = ['popular'] as const;
export type KillableFeature = (typeof KILLABLE_FEATURES)[number];
export const killSwitchKey = (feature: KillableFeature): string => `kill-${feature}`;

/** The flags as the request path reads them. */
export interface FlagState {
  readonly cacheBypass: boolean;
  readonly readOnly: boolean;
  readonly shedMore: boolean;
  /** Percent of the in-flight limit admitted while shed-more is on (1-100). */
  readonly admitPercent: number;
  /** Features switched off by their kill switch. */
  readonly killed: ReadonlySet<KillableFeature>;
}

/** Every flag off. */
export const FLAGS_OFF: FlagState = { cacheBypass: false, readOnly: false, shedMore: false, admitPercent: 50, killed: new Set() };

type FlagsDocument = Record<string, Record<string, unknown>>;

function parseDocument(text: string): FlagsDocument {
  const doc = JSON.parse(text) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)
    || Object.values(doc).some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw new Error('not an evaluated-flags document ({"<flag>": {"enabled": true|false, ...}})');
  }
  return doc as FlagsDocument;
}

/**
 * The OpenFeature provider over the platform's flags document. Boolean flags resolve to `<flag>.enabled`, number
 * flags named `<flag>.<attribute>` to that attribute. `poll()` reads the source once.
 */
export class PlatformFlagsProvider implements Provider {
  readonly metadata = { name: 'platform-flags' } as const;
  readonly runsOn = 'server' as const;
  private values: FlagsDocument | undefined;
  private failing = false;

  constructor(private readonly url: string, private readonly timeoutMs: number, private readonly log: (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void) {}

  /** The first read, bounded by the timeout; never throws (flags stay off until a read succeeds). */
  async initialize(): Promise<void> {
    await this.poll();
  }

  /** Reads the source; keeps the last values on failure. Resolves true when the document changed. */
  async poll(): Promise<boolean> {
    try {
      const text = this.url.startsWith('file:')
        ? await readFile(fileURLToPath(this.url), 'utf8')
        : await (async () => {
          const res = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs) });
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          return res.text();
        })();
      const doc = parseDocument(text);
      const changed = JSON.stringify(doc) !== JSON.stringify(this.values);
      this.values = doc;
      if (this.failing) this.log('info', 'feature flags source answers again', { url: this.url });
      this.failing = false;
      return changed;
    } catch (e) {
      if (!this.failing) {
        this.log('warn', this.values ? 'feature flags source not answering: keeping the values last read' : 'feature flags source not answering: flags stay off',
          { url: this.url, error: (e as Error).message });
      }
      this.failing = true;
      return false;
    }
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, 'enabled', defaultValue, 'boolean'));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    const dot = flagKey.indexOf('.');
    if (dot < 0) return Promise.resolve({ value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH });
    return Promise.resolve(this.resolve(flagKey.slice(0, dot), flagKey.slice(dot + 1), defaultValue, 'number'));
  }

  resolveStringEvaluation(_flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve({ value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH });
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    const flag = this.values?.[flagKey];
    return Promise.resolve(flag === undefined
      ? { value: defaultValue, reason: StandardResolutionReasons.DEFAULT, errorCode: ErrorCode.FLAG_NOT_FOUND }
      : { value: flag as T, reason: StandardResolutionReasons.CACHED });
  }

  private resolve<T extends boolean | number>(flag: string, field: string, defaultValue: T, type: 'boolean' | 'number'): ResolutionDetails<T> {
    if (this.values === undefined) return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT };
    const value = this.values[flag]?.[field];
    if (value === undefined) return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT, errorCode: ErrorCode.FLAG_NOT_FOUND };
    if (typeof value !== type) return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH };
    return { value: value as T, reason: StandardResolutionReasons.CACHED };
  }
}

/** Options of {@link ServiceFlags.start}. */
export interface ServiceFlagsOptions {
  /** FLAGS_URL; undefined: no provider, every flag off. */
  readonly url?: string;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  /** OpenFeature domain of this service instance (one provider per domain). */
  readonly domain: string;
  readonly log: (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;
  /** Called with the new state whenever a flag changes. */
  readonly onChange?: (state: FlagState) => void;
}

/** The service's flags: a snapshot re-evaluated through the OpenFeature client after each read of the source. */
export class ServiceFlags {
  private current: FlagState = FLAGS_OFF;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly client: Client, private readonly provider: PlatformFlagsProvider | undefined,
    private readonly options: ServiceFlagsOptions) {}

  /** The flags now (what the request path reads). */
  get state(): FlagState {
    return this.current;
  }

  /** Registers the provider (first read bounded by the timeout), evaluates, and starts polling. */
  static async start(options: ServiceFlagsOptions): Promise<ServiceFlags> {
    const provider = options.url ? new PlatformFlagsProvider(options.url, options.timeoutMs, options.log) : undefined;
    if (provider) await OpenFeature.setProviderAndWait(options.domain, provider);
    const flags = new ServiceFlags(OpenFeature.getClient(options.domain), provider, options);
    await flags.evaluate();
    flags.schedule();
    return flags;
  }

  /** Reads the source now and re-evaluates (tests, and each poll). */
  async refresh(): Promise<void> {
    if (this.provider && await this.provider.poll()) await this.evaluate();
  }

  /** Stops polling. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.provider || this.closed) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private async evaluate(): Promise<void> {
    const c = this.client;
    const killed = new Set<KillableFeature>();
    for (const feature of KILLABLE_FEATURES) if (await c.getBooleanValue(killSwitchKey(feature), false)) killed.add(feature);
    const admit = await c.getNumberValue(`${FLAG_KEYS.shedMore}.${SHED_MORE_ADMIT_PERCENT}`, FLAGS_OFF.admitPercent);
    const next: FlagState = {
      cacheBypass: await c.getBooleanValue(FLAG_KEYS.cacheBypass, false),
      readOnly: await c.getBooleanValue(FLAG_KEYS.readOnly, false),
      shedMore: await c.getBooleanValue(FLAG_KEYS.shedMore, false),
      admitPercent: Number.isFinite(admit) ? Math.min(100, Math.max(1, admit)) : FLAGS_OFF.admitPercent,
      killed,
    };
    const summary = (s: FlagState) => ({ ...s, killed: [...s.killed] });
    if (JSON.stringify(summary(next)) !== JSON.stringify(summary(this.current))) {
      this.options.log('info', 'feature flags changed', summary(next));
      this.current = next;
      this.options.onChange?.(next);
    }
  }
}
