/**
 * The config keys of who gets paged and how incidents escalate (stacks/config.ts reads the rest). Lists are
 * comma-separated; every bad value fails naming the key, the value and the fix.
 */
import type { OnCallContact } from '../constructs/aws/incidents/incident-response-props';
import { PlatformValidationError } from '../constructs/core/errors';
import { requireEmailAddress, requireHttpsUrl } from '../constructs/core/validate';

const WHERE = 'config';

/** The paging and on-call fields of the config. */
export interface OnCallConfig {
  /** E-mail addresses critical alerts page (`-c pageEmails=a@example.com,b@example.com`). */
  readonly pageEmails: readonly string[];
  /** E-mail addresses warning alerts open a ticket with (a ticket queue's address). */
  readonly ticketEmails: readonly string[];
  /** HTTPS endpoints critical alerts page (PagerDuty's or Opsgenie's Amazon SNS integration URL, a status page's webhook). */
  readonly pageWebhookUrls: readonly string[];
  /** Slack channel (AWS Chatbot) both severities post to: workspace and channel ids. */
  readonly slack?: { readonly workspaceId: string; readonly channelId: string };
  /** The on-call rotation in escalation order (`-c onCallContacts=alice:alice@example.com,bob:bob@example.com`). */
  readonly onCallContacts: readonly OnCallContact[];
  /** Who the senior-engineer stage engages (`alias:email`). */
  readonly seniorEngineer?: OnCallContact;
  /** Who the incident-commander stage engages (`alias:email`). */
  readonly incidentCommander?: OnCallContact;
  /** Create the account's Incident Manager replication set (`-c incidentReplicationSet=true`). */
  readonly incidentReplicationSet: boolean;
  /** The stacks run production: a critical topic without a subscriber fails the synth (`-c production=true`). */
  readonly production: boolean;
  /** Deploy the automatic remediations (`-c autoRemediation=false` turns them off). */
  readonly autoRemediation: boolean;
}

function list(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function flag(key: string, value: string | undefined, byDefault: boolean): boolean {
  if (value === undefined) return byDefault;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new PlatformValidationError(WHERE, key, value, 'is not true or false', `pass -c ${key}=true or -c ${key}=false`);
}

function contact(key: string, pair: string): OnCallContact {
  const m = /^([^:]+):(.+)$/.exec(pair);
  if (!m) {
    throw new PlatformValidationError(WHERE, key, pair, 'is not an alias:email pair', `pass -c ${key}=alice:alice@example.com`);
  }
  const [, alias, email] = m;
  if (!/^[a-z0-9_-]{1,200}$/.test(alias)) {
    throw new PlatformValidationError(WHERE, key, pair, `has the alias '${alias}', which is not lowercase letters, digits, '-' and '_'`,
      `pass -c ${key}=alice:alice@example.com`);
  }
  requireEmailAddress(WHERE, key, email, `pass -c ${key}=${alias}:${alias}@example.com`);
  return { alias, email };
}

/** Reads the paging and on-call keys through `str` (the config's context reader). */
export function loadOnCallConfig(str: (key: string) => string | undefined): OnCallConfig {
  const pageEmails = list(str('pageEmails'));
  const ticketEmails = list(str('ticketEmails'));
  for (const [key, emails] of [['pageEmails', pageEmails], ['ticketEmails', ticketEmails]] as const) {
    for (const e of emails) requireEmailAddress(WHERE, key, e, `pass -c ${key}=oncall@example.com[,...] (comma-separated addresses)`);
  }
  const pageWebhookUrls = list(str('pageWebhookUrls'));
  for (const url of pageWebhookUrls) {
    requireHttpsUrl(WHERE, 'pageWebhookUrls', url, 'pass -c pageWebhookUrls=https://events.pagerduty.com/integration/<key>/enqueue[,...] (HTTPS only: the page carries alert details)');
  }
  const workspaceId = str('slackWorkspaceId');
  const channelId = str('slackChannelId');
  if ((workspaceId === undefined) !== (channelId === undefined)) {
    const [missing, given, value] = workspaceId === undefined ? ['slackWorkspaceId', 'slackChannelId', channelId] : ['slackChannelId', 'slackWorkspaceId', workspaceId];
    throw new PlatformValidationError(WHERE, missing, undefined, `is required with ${given} ${value}`,
      missing === 'slackChannelId' ? 'pass -c slackChannelId=C0123ABCD (the channel AWS Chatbot posts to)' : 'pass -c slackWorkspaceId=T0123ABCD (the workspace authorized in the AWS Chatbot console)');
  }
  if (workspaceId !== undefined && !/^[0-9A-Z]{1,255}$/.test(workspaceId)) {
    throw new PlatformValidationError(WHERE, 'slackWorkspaceId', workspaceId, 'is not a Slack workspace id', 'pass the id AWS Chatbot shows for the workspace, e.g. -c slackWorkspaceId=T0123ABCD');
  }
  if (channelId !== undefined && !/^[A-Za-z0-9]{1,255}$/.test(channelId)) {
    throw new PlatformValidationError(WHERE, 'slackChannelId', channelId, 'is not a Slack channel id', 'pass the channel id from its details, e.g. -c slackChannelId=C0123ABCD');
  }
  const onCallContacts = list(str('onCallContacts')).map((p) => contact('onCallContacts', p));
  if (onCallContacts.length === 1) {
    throw new PlatformValidationError(WHERE, 'onCallContacts', str('onCallContacts'), 'names one person: there is no secondary on-call',
      'pass at least two alias:email pairs in escalation order, e.g. -c onCallContacts=alice:alice@example.com,bob:bob@example.com');
  }
  const seniorText = str('seniorEngineer');
  const commanderText = str('incidentCommander');
  const incidentReplicationSet = flag('incidentReplicationSet', str('incidentReplicationSet'), false);
  for (const [key, given] of [['seniorEngineer', seniorText], ['incidentCommander', commanderText],
    ['incidentReplicationSet', incidentReplicationSet ? 'true' : undefined]] as const) {
    if (given !== undefined && onCallContacts.length === 0) {
      throw new PlatformValidationError(WHERE, key, given, 'needs onCallContacts (Incident Manager is set up only with an on-call rotation)',
        'pass -c onCallContacts=alice:alice@example.com,bob:bob@example.com too, or drop it');
    }
  }
  return {
    pageEmails, ticketEmails, pageWebhookUrls,
    ...(workspaceId !== undefined && channelId !== undefined ? { slack: { workspaceId, channelId } } : {}),
    onCallContacts,
    ...(seniorText !== undefined ? { seniorEngineer: contact('seniorEngineer', seniorText) } : {}),
    ...(commanderText !== undefined ? { incidentCommander: contact('incidentCommander', commanderText) } : {}),
    incidentReplicationSet,
    production: flag('production', str('production'), false),
    autoRemediation: flag('autoRemediation', str('autoRemediation'), true),
  };
}
