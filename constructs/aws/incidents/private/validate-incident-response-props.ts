import { PlatformValidationError } from '../../../core/errors';
import { requireEmailAddress } from '../../../core/validate';
import type { IncidentResponseProps, OnCallContact, ResponsePlanOptions } from '../incident-response-props';

/** {@link IncidentResponseProps} validated, defaults applied. */
export interface ResolvedIncidentResponseProps {
  readonly contacts: readonly OnCallContact[];
  readonly rotationStart: string;
  readonly timeZone: string;
}

/** Throws a PlatformValidationError naming the prop, the value and the fix for anything Incident Manager would refuse. */
export function validateIncidentResponseProps(where: string, props: IncidentResponseProps): ResolvedIncidentResponseProps {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
    throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
  }
  if (props.onCallContacts.length < 2) {
    throw new PlatformValidationError(where, 'onCallContacts', props.onCallContacts.map((c) => c.alias), 'has fewer than 2 contacts: there is no secondary on-call',
      'list at least two people in escalation order (the reference app: -c onCallContacts=alice:alice@example.com,bob:bob@example.com)');
  }
  const all = [...props.onCallContacts, props.seniorEngineer, props.incidentCommander].filter((c): c is OnCallContact => c !== undefined);
  const emails = new Map<string, string>();
  for (const c of all) {
    if (!/^[a-z0-9_-]{1,200}$/.test(c.alias)) {
      throw new PlatformValidationError(where, 'onCallContacts.alias', c.alias, 'is not a contact alias', 'use lowercase letters, digits, \'-\' and \'_\', e.g. \'alice\'');
    }
    requireEmailAddress(where, `onCallContacts (${c.alias}).email`, c.email);
    const known = emails.get(c.alias);
    if (known !== undefined && known !== c.email) {
      throw new PlatformValidationError(where, 'onCallContacts.alias', c.alias, `names two e-mail addresses (${known}, ${c.email})`, 'give every person one alias and one address');
    }
    emails.set(c.alias, c.email);
  }
  const rotationAliases = props.onCallContacts.map((c) => c.alias);
  const dup = rotationAliases.find((a, i) => rotationAliases.indexOf(a) !== i);
  if (dup !== undefined) {
    throw new PlatformValidationError(where, 'onCallContacts', dup, 'is listed twice in the rotation', 'list each person once, in escalation order');
  }
  const rotationStart = props.rotationStart ?? '2026-01-05T09:00:00';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(rotationStart) || Number.isNaN(Date.parse(`${rotationStart}Z`))) {
    throw new PlatformValidationError(where, 'rotationStart', rotationStart, 'is not a local date and time', "use 'YYYY-MM-DDTHH:MM:SS', e.g. '2026-01-05T09:00:00'");
  }
  const timeZone = props.timeZone ?? 'UTC';
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) {
    throw new PlatformValidationError(where, 'timeZone', timeZone, 'is not an IANA time zone', "use e.g. 'UTC' or 'Europe/Berlin'");
  }
  for (const region of props.replicationRegions ?? []) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw new PlatformValidationError(where, 'replicationRegions', region, 'is not an AWS region', "use region codes, e.g. ['eu-west-1', 'eu-central-1']");
    }
  }
  if (props.replicationRegions !== undefined && (props.replicationRegions.length === 0 || props.replicationRegions.length > 3)) {
    throw new PlatformValidationError(where, 'replicationRegions', props.replicationRegions, 'must list 1 to 3 regions (Incident Manager\'s limit)',
      'list the primary and the secondary region, or leave it out when the account\'s replication set exists');
  }
  return { contacts: props.onCallContacts, rotationStart, timeZone };
}

/** Validates the options of a response plan. */
export function validateResponsePlanOptions(where: string, name: string, options: ResponsePlanOptions): number {
  if (!/^[a-zA-Z0-9_-]{1,200}$/.test(name)) {
    throw new PlatformValidationError(where, 'name', name, 'is not a response plan name', 'use letters, digits, \'-\' and \'_\' (at most 200)');
  }
  const impact = options.impact ?? 2;
  if (!Number.isInteger(impact) || impact < 1 || impact > 5) {
    throw new PlatformValidationError(where, 'impact', impact, 'is not an Incident Manager impact', 'use 1 (critical) to 5 (no impact); 2 is a partial outage');
  }
  return impact;
}
