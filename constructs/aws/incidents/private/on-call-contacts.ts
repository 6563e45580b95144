import * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import type { Construct } from 'constructs';
import { ESCALATION_STAGES, escalationStageDurations } from '../../../core/incidents/escalation';
import type { EscalationRole } from '../../../core/incidents/escalation';
import type { OnCallContact } from '../incident-response-props';

/** A personal contact with its e-mail channel and engagement plan. */
export interface PersonalContact {
  readonly contact: ssmcontacts.CfnContact;
  readonly channel: ssmcontacts.CfnContactChannel;
  readonly plan: ssmcontacts.CfnPlan;
}

/** What {@link buildOnCall} built. */
export interface OnCall {
  /** Personal contacts, by alias. */
  readonly contacts: ReadonlyMap<string, PersonalContact>;
  /** The primary and the secondary rotation. */
  readonly rotations: readonly ssmcontacts.CfnRotation[];
  /** On-call schedules (contacts of type ONCALL_SCHEDULE) over the rotations: primary, secondary. */
  readonly schedules: readonly ssmcontacts.CfnContact[];
  /** The escalation plan (contact of type ESCALATION) with one stage per `ESCALATION_STAGES` entry. */
  readonly escalationPlan: ssmcontacts.CfnContact;
}

/** Options of {@link buildOnCall}. */
export interface OnCallOptions {
  readonly service: string;
  readonly rotation: readonly OnCallContact[];
  readonly seniorEngineer?: OnCallContact;
  readonly incidentCommander?: OnCallContact;
  readonly rotationStart: string;
  readonly timeZone: string;
  readonly escalationAlias: string;
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function personal(scope: Construct, service: string, c: OnCallContact): PersonalContact {
  const id = `Contact-${c.alias}`;
  const contact = new ssmcontacts.CfnContact(scope, id, { alias: `${service}-${c.alias}`, displayName: c.alias, type: 'PERSONAL' });
  const channel = new ssmcontacts.CfnContactChannel(scope, `${id}-Email`, {
    contactId: contact.attrArn, channelName: 'e-mail', channelType: 'EMAIL', channelAddress: c.email,
  });
  const plan = new ssmcontacts.CfnPlan(scope, `${id}-Plan`, {
    contactId: contact.attrArn,
    stages: [{ durationInMinutes: 0, targets: [{ channelTargetInfo: { channelId: channel.attrArn, retryIntervalInMinutes: 1 } }] }],
  });
  return { contact, channel, plan };
}

/**
 * Incident Manager's on-call for `options.service`: a personal contact per person (e-mail channel, engaged at once), a
 * weekly primary rotation over the contacts in escalation order and a secondary one shifted by one, an on-call
 * schedule over each, and the escalation plan whose stages are `ESCALATION_STAGES` (primary on-call, secondary
 * on-call, senior engineer, incident commander; each stage's duration is the gap to the next stage).
 */
export function buildOnCall(scope: Construct, options: OnCallOptions): OnCall {
  const contacts = new Map<string, PersonalContact>();
  for (const c of [...options.rotation, options.seniorEngineer, options.incidentCommander]) {
    if (c && !contacts.has(c.alias)) contacts.set(c.alias, personal(scope, options.service, c));
  }
  const arns = options.rotation.map((c) => contacts.get(c.alias)!.contact.attrArn);
  const start = new Date(`${options.rotationStart}Z`);
  const handOff = { dayOfWeek: WEEKDAYS[start.getUTCDay()], handOffTime: options.rotationStart.slice(11, 16) };
  const rotation = (id: string, name: string, order: string[]): ssmcontacts.CfnRotation => new ssmcontacts.CfnRotation(scope, id, {
    name: `${options.service}_${name}`.replace(/-/g, '_'),
    contactIds: order,
    startTime: options.rotationStart,
    timeZoneId: options.timeZone,
    recurrence: { numberOfOnCalls: 1, recurrenceMultiplier: 1, weeklySettings: [handOff] },
  });
  const rotations = [
    rotation('PrimaryRotation', 'primary-on-call', arns),
    rotation('SecondaryRotation', 'secondary-on-call', [...arns.slice(1), arns[0]]),
  ];
  const schedules = rotations.map((r, i) => new ssmcontacts.CfnContact(scope, i === 0 ? 'PrimarySchedule' : 'SecondarySchedule', {
    alias: `${options.service}-${i === 0 ? 'primary' : 'secondary'}-on-call`,
    displayName: `${options.service} ${i === 0 ? 'primary' : 'secondary'} on-call`,
    type: 'ONCALL_SCHEDULE',
    plan: [{ rotationIds: [r.attrArn] }],
  }));
  const everyone = arns;
  const targets: Record<EscalationRole, string[]> = {
    'primary-on-call': [schedules[0].attrArn],
    'secondary-on-call': [schedules[1].attrArn],
    'senior-engineer': options.seniorEngineer ? [contacts.get(options.seniorEngineer.alias)!.contact.attrArn] : everyone,
    'incident-commander': options.incidentCommander ? [contacts.get(options.incidentCommander.alias)!.contact.attrArn] : everyone,
  };
  const durations = escalationStageDurations();
  const escalationPlan = new ssmcontacts.CfnContact(scope, 'EscalationPlan', {
    alias: options.escalationAlias,
    displayName: `${options.service} escalation`,
    type: 'ESCALATION',
    plan: ESCALATION_STAGES.map((stage, i) => ({
      durationInMinutes: durations[i],
      targets: targets[stage.role].map((contactId) => ({ contactTargetInfo: { contactId, isEssential: true } })),
    })),
  });
  return { contacts, rotations, schedules, escalationPlan };
}
