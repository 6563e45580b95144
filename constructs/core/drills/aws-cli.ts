/**
 * The AWS CLI equivalent of a drill step's API call: `aws <service> <api-in-kebab-case> --region ... --param value`,
 * with `{{ Name }}` parameters as shell variables (`"$Name"`) so the runbook's commands can be pasted.
 */
import type { Drill } from './drill';
import type { AwsApiCall } from './steps';

/** `FailoverGlobalCluster` -> `failover-global-cluster`; `DBClusterIdentifier` -> `db-cluster-identifier`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `UpdateRoutingControlStates` -> `update_routing_control_states` (boto3 method names). */
export function snakeCase(name: string): string {
  return kebabCase(name).replace(/-/g, '_');
}

/** `{{ Name }}` -> `$Name`, `{{ Step.Output }}` -> `$Step_Output`. */
export function shellReferences(text: string): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, name: string) => `$${name.replace('.', '_')}`);
}

/** Resolves a parameter name to its value; without one, references stay shell variables. */
export type ParameterResolver = (name: string) => string;

function shellWord(value: string, resolve?: ParameterResolver): string {
  if (resolve) value = value.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, name: string) => resolve(name));
  if (/\{\{/.test(value)) return `"${shellReferences(value).replace(/["\\]/g, '\\$&')}"`;
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** CLI arguments for one request member. */
function argument(key: string, value: unknown, resolve?: ParameterResolver): string[] {
  const flag = `--${kebabCase(key)}`;
  if (typeof value === 'boolean') return [value ? flag : `--no-${kebabCase(key)}`];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return [flag, ...value.map((v) => shellWord(scalar(v), resolve))];
    // Lists of structures in the CLI's shorthand syntax: Key=value,Key=value per item.
    return [flag, ...value.map((item) => shellWord(Object.entries(item as Record<string, unknown>).map(([k, v]) => `${k}=${scalar(v)}`)
      .join(','), resolve))];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // Shorthand (Key=value,Key=value) only when no value holds its separators or brackets; JSON otherwise.
    if (entries.some(([, v]) => /[,=[\]{}"]/.test(scalar(v)))) return [flag, shellWord(JSON.stringify(value), resolve)];
    return [flag, shellWord(entries.map(([k, v]) => `${k}=${scalar(v)}`).join(','), resolve)];
  }
  return [flag, shellWord(scalar(value), resolve)];
}

/** Name of the region parameter a call is sent to. */
export function regionParameter(drill: Drill, call: AwsApiCall): string {
  return (call.region ?? drill.region) === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion';
}

/**
 * The AWS CLI command of `call`, one argument pair per line. `query` adds `--query ... --output text`;
 * `resolve` fills in parameter values (the drill CLI's plan) instead of shell variables.
 */
export function awsCliCommand(drill: Drill, call: AwsApiCall, query?: string, resolve?: ParameterResolver): string {
  const parts: string[][] = [];
  if (call.endpoint) {
    parts.push(['--endpoint-url', shellWord(call.endpoint, resolve)]);
    parts.push(['--region', shellWord(call.endpointRegion ?? `{{ ${regionParameter(drill, call)} }}`, resolve)]);
  } else if (call.service !== 'route53') {
    parts.push(['--region', shellWord(`{{ ${regionParameter(drill, call)} }}`, resolve)]);
  }
  for (const [k, v] of Object.entries(call.params)) parts.push(argument(k, v, resolve));
  if (query) parts.push(['--query', `'${query}'`, '--output', 'text']);
  return [`aws ${call.service} ${kebabCase(call.api)}`, ...parts.map((p) => `  ${p.join(' ')}`)].join(' \\\n');
}

/** A JSONPath selector (`$.DBClusters[0].Status`) as a CLI `--query` (JMESPath: `DBClusters[0].Status`). */
export function jmesPath(selector: string): string {
  return selector.replace(/^\$\.?/, '');
}
