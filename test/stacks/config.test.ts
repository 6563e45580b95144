import { DrTier } from '../../constructs/core/dr-tier';
import { DEFAULTS, loadConfig } from '../../stacks/config';

const ctx = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('loadConfig', () => {
  test('defaults synthesize anywhere: placeholder account, eu-west-1 / eu-central-1, pilot light', () => {
    const config = loadConfig();
    expect(config).toMatchObject({
      service: 'checkout',
      account: '111111111111',
      primaryRegion: 'eu-west-1',
      secondaryRegion: 'eu-central-1',
      primaryAzs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      secondaryAzs: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
      drTier: DrTier.PILOT_LIGHT,
      runbookBaseUrl: DEFAULTS.runbookBaseUrl,
      containerPort: 8080,
      activeRegion: 'primary',
    });
  });

  test('activeRegion=secondary is accepted at tiers with a secondary stack', () => {
    expect(loadConfig(ctx({ activeRegion: 'secondary' })).activeRegion).toBe('secondary');
    expect(loadConfig(ctx({ activeRegion: 'secondary', drTier: 'active-active' })).activeRegion).toBe('secondary');
  });

  test('context overrides every field (as -c passes strings)', () => {
    const config = loadConfig(ctx({
      account: '123456789012', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2', drTier: 'warm-standby',
      service: 'payments', primaryAzs: 'us-east-1a,us-east-1d', containerPort: '9000',
    }));
    expect(config).toMatchObject({
      account: '123456789012', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2', drTier: DrTier.WARM_STANDBY,
      service: 'payments', primaryAzs: ['us-east-1a', 'us-east-1d'], containerPort: 9000,
    });
  });

  test('who gets paged: lists are comma-separated, contacts alias:email in escalation order', () => {
    const config = loadConfig(ctx({
      pageEmails: 'oncall@example.com, lead@example.com', ticketEmails: 'tickets@example.com',
      pageWebhookUrls: 'https://events.pagerduty.com/integration/abc/enqueue', slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD',
      onCallContacts: 'alice:alice@example.com,bob:bob@example.com', seniorEngineer: 'carol:carol@example.com', production: 'true',
    }));
    expect(config).toMatchObject({
      pageEmails: ['oncall@example.com', 'lead@example.com'], ticketEmails: ['tickets@example.com'],
      pageWebhookUrls: ['https://events.pagerduty.com/integration/abc/enqueue'], slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
      onCallContacts: [{ alias: 'alice', email: 'alice@example.com' }, { alias: 'bob', email: 'bob@example.com' }],
      seniorEngineer: { alias: 'carol', email: 'carol@example.com' }, production: true, autoRemediation: true, incidentReplicationSet: false,
    });
    expect(loadConfig()).toMatchObject({ pageEmails: [], onCallContacts: [], production: false, autoRemediation: true });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a bad page e-mail', { pageEmails: 'oncall@example.com,bob@' },
      "config: pageEmails ('bob@') is not an e-mail address: pass -c pageEmails=oncall@example.com[,...] (comma-separated addresses)"],
    ['a bad ticket e-mail', { ticketEmails: 'tickets' },
      "config: ticketEmails ('tickets') is not an e-mail address: pass -c ticketEmails=oncall@example.com[,...] (comma-separated addresses)"],
    ['a plain http webhook', { pageWebhookUrls: 'http://events.pagerduty.com/x' },
      "config: pageWebhookUrls ('http://events.pagerduty.com/x') is not an https URL: pass -c pageWebhookUrls=https://events.pagerduty.com/integration/<key>/enqueue[,...] (HTTPS only: the page carries alert details)"],
    ['a Slack workspace without a channel', { slackWorkspaceId: 'T0123ABCD' },
      'config: slackChannelId (undefined) is required with slackWorkspaceId T0123ABCD: pass -c slackChannelId=C0123ABCD (the channel AWS Chatbot posts to)'],
    ['a Slack channel without a workspace', { slackChannelId: 'C0123ABCD' },
      'config: slackWorkspaceId (undefined) is required with slackChannelId C0123ABCD: pass -c slackWorkspaceId=T0123ABCD (the workspace authorized in the AWS Chatbot console)'],
    ['a channel name for an id', { slackWorkspaceId: 'T0123ABCD', slackChannelId: '#alerts' },
      "config: slackChannelId ('#alerts') is not a Slack channel id: pass the channel id from its details, e.g. -c slackChannelId=C0123ABCD"],
    ['a contact without an address', { onCallContacts: 'alice,bob:bob@example.com' },
      "config: onCallContacts ('alice') is not an alias:email pair: pass -c onCallContacts=alice:alice@example.com"],
    ['a contact with a bad address', { onCallContacts: 'alice:alice@,bob:bob@example.com' },
      "config: onCallContacts ('alice@') is not an e-mail address: pass -c onCallContacts=alice:alice@example.com"],
    ['one on-call contact', { onCallContacts: 'alice:alice@example.com' },
      "config: onCallContacts ('alice:alice@example.com') names one person: there is no secondary on-call: pass at least two alias:email pairs in escalation order, e.g. -c onCallContacts=alice:alice@example.com,bob:bob@example.com"],
    ['a senior engineer without a rotation', { seniorEngineer: 'carol:carol@example.com' },
      "config: seniorEngineer ('carol:carol@example.com') needs onCallContacts (Incident Manager is set up only with an on-call rotation): pass -c onCallContacts=alice:alice@example.com,bob:bob@example.com too, or drop it"],
    ['production that is not a boolean', { production: 'yes' },
      "config: production ('yes') is not true or false: pass -c production=true or -c production=false"],
  ])('%s is refused, naming the key, the value and the fix', (_name, values, message) => {
    expect(() => loadConfig(ctx(values))).toThrow(message);
  });

  test('regions with non-contiguous zone letters get their real zones', () => {
    expect(loadConfig(ctx({ primaryRegion: 'ap-northeast-1', secondaryRegion: 'ap-northeast-3' })).primaryAzs)
      .toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  });

  test('objectives without a tier pick the cheapest tier that meets them', () => {
    expect(loadConfig(ctx({ rto: '15m', rpo: '1m' })).drTier).toBe(DrTier.WARM_STANDBY);
    expect(loadConfig(ctx({ rto: '1d', rpo: '1d' })).drTier).toBe(DrTier.BACKUP_RESTORE);
    expect(loadConfig(ctx({ rto: '15m', rpo: '1m' })).objectives).toEqual({ rto: '15m', rpo: '1m' });
  });

  test('an explicit tier that meets the objectives is kept even when dearer', () => {
    expect(loadConfig(ctx({ rto: '1d', rpo: '1d', drTier: 'active-active' })).drTier).toBe(DrTier.ACTIVE_ACTIVE);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a tier that cannot meet the RPO', { drTier: 'backup-restore', rto: '8h', rpo: '1h' },
      "config: drTier ('backup-restore') cannot meet RPO 1h (it delivers 1d): use drTier pilot-light (the cheapest tier that meets RTO 8h and RPO 1h) or relax the objectives"],
    ['rto without rpo', { rto: '15m' },
      'config: rpo (undefined) is required with rto: state both objectives, e.g. -c rto=15m -c rpo=1m'],
    ['a malformed objective', { rto: 'soon', rpo: '1m' },
      "config: rto ('soon') is not a duration: write a whole number and a unit: '30s', '15m', '4h' or '1d'"],
    ['malformed account', { account: '12345' },
      "config: account ('12345') is not a 12-digit AWS account id: pass -c account=123456789012 (your account id, digits only)"],
    ['unknown region', { primaryRegion: 'eu-west-9' },
      "config: primaryRegion ('eu-west-9') is not a known AWS region: use a region code such as eu-west-1, eu-west-2, eu-west-3, eu-central-1"],
    ['a primary region without the dash before its number', { primaryRegion: 'eu-west1' },
      "config: primaryRegion ('eu-west1') is not a known AWS region: write it eu-west-1 (a region code has a dash before its number)"],
    ['a secondary region without the dash before its number', { secondaryRegion: 'eu-central1' },
      "config: secondaryRegion ('eu-central1') is not a known AWS region: write it eu-central-1 (a region code has a dash before its number)"],
    ['primary equal to secondary', { primaryRegion: 'eu-central-1' },
      "config: secondaryRegion ('eu-central-1') equals primaryRegion; a regional failure would take out both: pick a secondary region other than eu-central-1 (e.g. -c secondaryRegion=eu-west-1)"],
    ['unknown DR tier', { drTier: 'cold' },
      "config: drTier ('cold') is not a DR tier: use one of backup-restore, pilot-light, warm-standby, active-active"],
    ['bad service name', { service: 'Check Out' },
      "config: service ('Check Out') is not a valid service name: use 1-40 lowercase letters, digits and dashes, starting with a letter (e.g. -c service=checkout)"],
    ['privileged port', { containerPort: '80' },
      "config: containerPort ('80') is not an unprivileged TCP port: use a port from 1024 to 65535 (the container runs as non-root)"],
    ['http runbook URL', { runbookBaseUrl: 'http://wiki' },
      "config: runbookBaseUrl ('http://wiki') is not an https URL: pass -c runbookBaseUrl=https://github.com/<org>/<repo>/blob/main"],
    ['zones of another region', { primaryAzs: 'eu-west-1a,us-east-1b' },
      "config: primaryAzs ('eu-west-1a,us-east-1b') must list at least 2 distinct zones of eu-west-1: pass -c primaryAzs=eu-west-1a,eu-west-1b,eu-west-1c"],
    ['a single zone', { secondaryAzs: 'eu-central-1a' },
      "config: secondaryAzs ('eu-central-1a') must list at least 2 distinct zones of eu-central-1: pass -c secondaryAzs=eu-central-1a,eu-central-1b,eu-central-1c"],
    ['domain without zone', { domainName: 'shop.example.com' },
      "config: hostedZoneId (undefined) is required with domainName shop.example.com: pass -c hostedZoneId=Z0123456789ABC (the Route 53 zone of the domain)"],
    ['a certificate without a domain', { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      "config: certificateArn ('arn:aws:acm:us-east-1:123456789012:certificate/abc') is given without domainName, which it belongs to: pass -c domainName=<the service's DNS name> with it (all three of domainName, hostedZoneId and certificateArn), or drop it"],
    ['certificate outside us-east-1', { domainName: 'shop.example.com', hostedZoneId: 'Z0123', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
      "config: certificateArn ('arn:aws:acm:eu-west-1:123456789012:certificate/abc') is not an ACM certificate ARN in us-east-1: issue the certificate in us-east-1 (CloudFront reads viewer certificates there) and pass its ARN"],
    ['an unknown active region', { activeRegion: 'eu-central-1' },
      "config: activeRegion ('eu-central-1') is not a region role: use primary (the default) or secondary (-c activeRegion=secondary sends all traffic to the secondary region)"],
    ['the secondary active at backup & restore', { activeRegion: 'secondary', drTier: 'backup-restore' },
      "config: activeRegion ('secondary') needs an application in the secondary region, which DR tier backup-restore does not deploy: restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)"],
  ])('%s is refused with the fix', (_name, values, message) => {
    expect(() => loadConfig(ctx(values))).toThrow(message);
  });
});
