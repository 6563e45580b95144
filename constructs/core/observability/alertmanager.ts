import { stringify } from 'yaml';
import { PlatformValidationError } from '../errors';

/**
 * Alertmanager configuration: severity routing (critical pages, warning opens a ticket, info goes nowhere),
 * grouping by alert name and service, inhibition, and typed receivers.
 *
 * Timings (documented choices, kube-prometheus and Alertmanager defaults as the baseline):
 * - root: `group_wait 30s` (collect the first burst of related alerts into one notification),
 *   `group_interval 5m` (a new alert joining a notified group waits at most 5 minutes),
 *   `repeat_interval 4h` (a still-firing group is re-sent every 4 hours);
 * - critical: `group_wait 30s`, `repeat_interval 4h`: pages fast, re-pages an unresolved incident twice a shift;
 * - warning: `group_wait 5m`, `group_interval 15m`, `repeat_interval 24h`: tickets are not urgent, batch them
 *   and re-open at most once a day;
 * - Watchdog: `group_wait 0s`, `group_interval 1m`, `repeat_interval 5m`: the heartbeat reaches the dead man's
 *   switch every ~5 minutes (configure the switch with a 15-minute grace).
 */

/** Name of the receiver that drops what it receives (info alerts). */
export const NULL_RECEIVER = 'null';

/** Where the configuration runs: Amazon Managed Service for Prometheus only delivers to SNS. */
export class AlertmanagerTarget {
  /** Amazon Managed Service for Prometheus: only `sns_configs` receivers (and the null receiver). */
  public static readonly AMAZON_MANAGED_PROMETHEUS = new AlertmanagerTarget('amazon-managed-prometheus');
  /** A self-hosted Alertmanager: every receiver type. */
  public static readonly SELF_HOSTED = new AlertmanagerTarget('self-hosted');

  private constructor(public readonly id: 'amazon-managed-prometheus' | 'self-hosted') {}

  public toString(): string {
    return this.id;
  }
}

/** The receiver kinds. */
export type ReceiverKind = 'sns' | 'webhook' | 'pagerduty' | 'slack';

/** Props of {@link Receiver.sns}. */
export interface SnsReceiverProps {
  /** ARN of the SNS topic. */
  readonly topicArn: string;
  /**
   * Region of the topic, for SigV4 signing.
   * @default - read from topicArn (required when topicArn is not a literal ARN)
   */
  readonly region?: string;
  /**
   * Message template of the notifications (Alertmanager templating), e.g. `{{ .Status }}` for a heartbeat receiver.
   * @default - Alertmanager's default SNS message
   */
  readonly message?: string;
}

/** Props of {@link Receiver.webhook}. */
export interface WebhookReceiverProps {
  /** URL the alerts are POSTed to (Alertmanager webhook JSON). */
  readonly url: string;
}

/** Props of {@link Receiver.pagerDuty}. */
export interface PagerDutyReceiverProps {
  /** File holding the PagerDuty Events API v2 integration (routing) key; never the key itself. */
  readonly routingKeyFile: string;
}

/** Props of {@link Receiver.slack}. */
export interface SlackReceiverProps {
  /** File holding the Slack incoming-webhook URL; never the URL itself. */
  readonly apiUrlFile: string;
  /** Channel, e.g. `#checkout-alerts`. */
  readonly channel: string;
}

/** A notification receiver. Every receiver also sends resolved notifications. */
export class Receiver {
  private constructor(
    /** Receiver name, unique in a configuration. */
    public readonly name: string,
    public readonly kind: ReceiverKind,
    private readonly configs: Record<string, unknown[]>,
  ) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new PlatformValidationError(`Receiver.${kind}`, 'name', name, 'is not a valid receiver name',
        'use letters, digits, \'_\', \'.\' and \'-\'');
    }
  }

  /** Amazon SNS topic (the only kind Amazon Managed Service for Prometheus accepts). */
  public static sns(name: string, props: SnsReceiverProps): Receiver {
    const region = props.region ?? /^arn:aws[a-z-]*:sns:([a-z0-9-]+):/.exec(props.topicArn)?.[1];
    if (!region) {
      throw new PlatformValidationError(`Receiver.sns(${name})`, 'region', props.region, 'is missing and cannot be read from topicArn',
        'pass region, the region of the SNS topic');
    }
    return new Receiver(name, 'sns', {
      sns_configs: [{
        topic_arn: props.topicArn, sigv4: { region }, ...(props.message !== undefined ? { message: props.message } : {}), send_resolved: true,
      }],
    });
  }

  /** An HTTP endpoint receiving Alertmanager's webhook JSON. */
  public static webhook(name: string, props: WebhookReceiverProps): Receiver {
    if (!/^https?:\/\/[^\s]+$/.test(props.url)) {
      throw new PlatformValidationError(`Receiver.webhook(${name})`, 'url', props.url, 'is not an http(s) URL',
        'use a URL such as https://alerts.example.com/hook');
    }
    return new Receiver(name, 'webhook', { webhook_configs: [{ url: props.url, send_resolved: true }] });
  }

  /** PagerDuty (Events API v2). */
  public static pagerDuty(name: string, props: PagerDutyReceiverProps): Receiver {
    return new Receiver(name, 'pagerduty', {
      pagerduty_configs: [{ routing_key_file: props.routingKeyFile, send_resolved: true }],
    });
  }

  /** A Slack channel through an incoming webhook. */
  public static slack(name: string, props: SlackReceiverProps): Receiver {
    return new Receiver(name, 'slack', {
      slack_configs: [{ api_url_file: props.apiUrlFile, channel: props.channel, send_resolved: true }],
    });
  }

  /** The receiver in Alertmanager's configuration shape. */
  public toConfig(): Record<string, unknown> {
    return { name: this.name, ...this.configs };
  }
}

/** Props of {@link AlertmanagerConfig}. */
export interface AlertmanagerConfigProps {
  /**
   * Where the configuration runs.
   * @default AlertmanagerTarget.SELF_HOSTED
   */
  readonly target?: AlertmanagerTarget;
  /** Receiver of `severity="critical"` alerts (pages). */
  readonly paging: Receiver;
  /** Receiver of `severity="warning"` alerts (tickets), and of any alert without a known severity. */
  readonly ticket: Receiver;
  /**
   * Receiver of the `Watchdog` heartbeat: a dead man's switch that pages when heartbeats stop.
   * @default - Watchdog goes to the null receiver like every info alert
   */
  readonly heartbeat?: Receiver;
}

/** The Alertmanager configuration of the platform. */
export class AlertmanagerConfig {
  public readonly target: AlertmanagerTarget;
  private readonly props: AlertmanagerConfigProps;

  constructor(props: AlertmanagerConfigProps) {
    this.target = props.target ?? AlertmanagerTarget.SELF_HOSTED;
    this.props = props;
    const named: Array<[string, Receiver | undefined]> = [['paging', props.paging], ['ticket', props.ticket], ['heartbeat', props.heartbeat]];
    const seen = new Map<string, [string, Receiver | undefined]>([[NULL_RECEIVER, ['the null receiver', undefined]]]);
    for (const [prop, r] of named) {
      if (!r) continue;
      if (this.target === AlertmanagerTarget.AMAZON_MANAGED_PROMETHEUS && r.kind !== 'sns') {
        throw new PlatformValidationError('AlertmanagerConfig', prop, `${r.kind} receiver ${r.name}`,
          'is not supported by Amazon Managed Service for Prometheus', 'use Receiver.sns(...): AMP only delivers to SNS topics');
      }
      const other = seen.get(r.name);
      if (other && other[1] !== r) {
        throw new PlatformValidationError('AlertmanagerConfig', prop, r.name, `has the same name as ${other[0]}`,
          'give every receiver its own name (or pass the same Receiver object)');
      }
      seen.set(r.name, [prop, r]);
    }
  }

  /** The receiver of the `Watchdog` heartbeat, if any. */
  public get heartbeat(): Receiver | undefined {
    return this.props.heartbeat;
  }

  /**
   * This configuration with `heartbeat` as the receiver of the `Watchdog` heartbeat (a dead man's switch). A
   * configuration that already has one keeps it: the call throws.
   */
  public withHeartbeat(heartbeat: Receiver): AlertmanagerConfig {
    if (this.props.heartbeat) {
      throw new PlatformValidationError('AlertmanagerConfig', 'heartbeat', this.props.heartbeat.name, 'is already set',
        'pass the heartbeat receiver once: in AlertmanagerConfigProps.heartbeat or through the monitoring stack\'s heartbeatUrl, not both');
    }
    return new AlertmanagerConfig({ ...this.props, target: this.target, heartbeat });
  }

  /** The configuration as a plain object (Alertmanager YAML shape), keys in a fixed order. */
  public toConfig(): Record<string, unknown> {
    const { paging, ticket, heartbeat } = this.props;
    const receivers = uniqueReceivers([paging, ticket, ...(heartbeat ? [heartbeat] : [])]);
    return {
      route: {
        receiver: ticket.name,
        group_by: ['alertname', 'service'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          ...(heartbeat ? [{
            receiver: heartbeat.name, matchers: ['alertname="Watchdog"'],
            group_wait: '0s', group_interval: '1m', repeat_interval: '5m',
          }] : []),
          { receiver: paging.name, matchers: ['severity="critical"'], group_wait: '30s', repeat_interval: '4h' },
          { receiver: ticket.name, matchers: ['severity="warning"'], group_wait: '5m', group_interval: '15m', repeat_interval: '24h' },
          { receiver: NULL_RECEIVER, matchers: ['severity="info"'] },
        ],
      },
      inhibit_rules: [
        { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['alertname', 'service'] },
        { source_matchers: ['alertname="RegionDown"'], target_matchers: ['service=~".+"'], equal: ['region'] },
      ],
      receivers: [...receivers.map((r) => r.toConfig()), { name: NULL_RECEIVER }],
    };
  }

  /** The configuration as Alertmanager YAML (deterministic). */
  public render(): string {
    return stringify(this.toConfig(), { lineWidth: 0 });
  }

  /**
   * The alert manager definition of Amazon Managed Service for Prometheus: the configuration under
   * `alertmanager_config`, as `CreateAlertManagerDefinition` and `AWS::APS::Workspace` expect.
   */
  public renderAmpDefinition(): string {
    return stringify({ alertmanager_config: this.render() }, { lineWidth: 0 });
  }
}

function uniqueReceivers(receivers: Receiver[]): Receiver[] {
  return receivers.filter((r, i) => receivers.findIndex((o) => o.name === r.name) === i);
}
