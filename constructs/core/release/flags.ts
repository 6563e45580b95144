/**
 * Feature flags, declared once and read by every engine: the operational flags the runbooks and the automatic
 * remediations use (cache bypass, read-only mode, shed-more, a kill switch per non-essential feature), rendered as an
 * AWS AppConfig feature-flag document (the hosted configuration the platform deploys) and as the evaluated form the
 * AppConfig agent serves and a Kubernetes ConfigMap holds (`{ "<flag>": { "enabled": false, ... } }`), which the
 * reference service reads through OpenFeature.
 */
import { PlatformValidationError } from '../errors';

/** A number attribute of a flag (AppConfig flag attribute with constraints), read as `<flag>.<attribute>`. */
export interface FeatureFlagAttribute {
  /** What the value means, one line. */
  readonly description: string;
  readonly minimum: number;
  readonly maximum: number;
  /** Value while the flag is declared (and deployed) off. */
  readonly defaultValue: number;
}

/** One feature flag: its key (AppConfig and OpenFeature), what it does, and its number attributes. */
export interface FeatureFlagDeclaration {
  /** Key: lowercase words joined by dashes, e.g. `cache-bypass`. */
  readonly key: string;
  /** Display name. */
  readonly name: string;
  /** What turning it on does, one or two sentences. */
  readonly description: string;
  /** Number attributes, by name (letters and digits, starting with a lowercase letter). */
  readonly attributes?: Readonly<Record<string, FeatureFlagAttribute>>;
}

/** Key of the cache-bypass flag: reads skip the distributed (L2) cache. */
export const CACHE_BYPASS_FLAG = 'cache-bypass';
/** Key of the read-only flag: writes answer 503 + Retry-After. */
export const READ_ONLY_FLAG = 'read-only';
/** Key of the shed-more flag: admission control admits `admitPercent` of its usual limit. */
export const SHED_MORE_FLAG = 'shed-more';
/** The non-essential features of the reference service that have a kill switch (`kill-<feature>`). */
export const KILL_SWITCH_FEATURES = ['popular'] as const;

/** Key of the kill switch of `feature`. */
export function killSwitchFlag(feature: string): string {
  return `kill-${feature}`;
}

/** The operational flags of the reference service, every one off by default. */
export const OPERATIONAL_FLAGS: readonly FeatureFlagDeclaration[] = [
  {
    key: CACHE_BYPASS_FLAG,
    name: 'Cache bypass',
    description: 'Reads skip the distributed (L2) cache and go from the in-process cache to the database; writes still invalidate L2.',
  },
  {
    key: READ_ONLY_FLAG,
    name: 'Read-only mode',
    description: 'Writes (POST /orders) answer 503 with Retry-After; reads are served as usual.',
  },
  {
    key: SHED_MORE_FLAG,
    name: 'Shed more load',
    description: 'Admission control admits admitPercent of its usual in-flight limit and sheds the rest with 503 + Retry-After.',
    attributes: {
      admitPercent: { description: 'Share of the usual in-flight limit admitted while the flag is on (percent).', minimum: 1, maximum: 100, defaultValue: 50 },
    },
  },
  ...KILL_SWITCH_FEATURES.map((feature) => ({
    key: killSwitchFlag(feature),
    name: `Kill switch: ${feature}`,
    description: `Switches the ${feature} feature off: GET /items?popular answers an empty list (header x-feature-disabled) without touching the cache or the database.`,
  })),
];

const FLAG_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ATTRIBUTE_KEY = /^[a-z][A-Za-z0-9]{0,63}$/;

/** Checks `flags` (errors name `where` and the flag): keys unique and well-formed, attribute bounds consistent. */
export function validateFeatureFlags(where: string, flags: readonly FeatureFlagDeclaration[]): void {
  if (flags.length === 0) {
    throw new PlatformValidationError(where, 'flags', [], 'is empty', 'declare at least one flag (e.g. OPERATIONAL_FLAGS)');
  }
  const seen = new Set<string>();
  for (const flag of flags) {
    if (!FLAG_KEY.test(flag.key) || flag.key.length > 64) {
      throw new PlatformValidationError(where, 'flags', flag.key, 'is not a flag key', "use up to 64 lowercase letters and digits in words joined by dashes, e.g. 'cache-bypass'");
    }
    if (seen.has(flag.key)) {
      throw new PlatformValidationError(where, 'flags', flag.key, 'is declared twice', 'declare each flag once');
    }
    seen.add(flag.key);
    for (const [name, a] of Object.entries(flag.attributes ?? {})) {
      if (!ATTRIBUTE_KEY.test(name) || name === 'enabled') {
        throw new PlatformValidationError(where, `flags.${flag.key}.attributes`, name, 'is not an attribute name',
          "use a camelCase name other than 'enabled', e.g. 'admitPercent'");
      }
      if (!(a.minimum <= a.defaultValue && a.defaultValue <= a.maximum)) {
        throw new PlatformValidationError(where, `flags.${flag.key}.attributes.${name}.defaultValue`, a.defaultValue,
          `is outside its range ${a.minimum} to ${a.maximum}`, 'choose a default between minimum and maximum');
      }
    }
  }
}

/** The value of one flag as the AppConfig agent serves it: `enabled` and the attributes. */
export type EvaluatedFlag = { readonly enabled: boolean } & Readonly<Record<string, boolean | number>>;

/** Every flag evaluated: what the agent serves for a feature-flag profile (and a Kubernetes ConfigMap holds). */
export type EvaluatedFlags = Readonly<Record<string, EvaluatedFlag>>;

/** `flags` as deployed: every flag off, attributes at their defaults. */
export function evaluatedFlags(flags: readonly FeatureFlagDeclaration[] = OPERATIONAL_FLAGS): EvaluatedFlags {
  return Object.fromEntries(flags.map((f) => [f.key, {
    enabled: false,
    ...Object.fromEntries(Object.entries(f.attributes ?? {}).map(([name, a]) => [name, a.defaultValue])),
  }]));
}

/** An AWS AppConfig feature-flag document (`AWS.AppConfig.FeatureFlags`, version 1). */
export interface AppConfigFlagsDocument {
  readonly version: '1';
  readonly flags: Readonly<Record<string, {
    readonly name: string;
    readonly description: string;
    readonly attributes?: Readonly<Record<string, { readonly constraints: { readonly type: 'number'; readonly required: true; readonly minimum: number; readonly maximum: number } }>>;
  }>>;
  readonly values: EvaluatedFlags;
}

/** The hosted configuration of `flags` for an AppConfig feature-flag profile: every flag declared, every value off. */
export function appConfigFlagsDocument(flags: readonly FeatureFlagDeclaration[] = OPERATIONAL_FLAGS): AppConfigFlagsDocument {
  return {
    version: '1',
    flags: Object.fromEntries(flags.map((f) => [f.key, {
      name: f.name,
      description: f.description,
      ...(f.attributes ? {
        attributes: Object.fromEntries(Object.entries(f.attributes).map(([name, a]) => [name, {
          constraints: { type: 'number' as const, required: true as const, minimum: a.minimum, maximum: a.maximum },
        }])),
      } : {}),
    }])),
    values: evaluatedFlags(flags),
  };
}
