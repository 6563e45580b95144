import { PlatformValidationError } from '../../core/errors';
import { requireEmailAddress, requireHttpsUrl } from '../../core/validate';

/** The kinds of {@link AlertReceiver}. */
export type AlertReceiverKind = 'email' | 'https' | 'slack' | 'teams';

/** A Slack channel AWS Chatbot posts to (the workspace authorized in the AWS Chatbot console first). */
export interface SlackChannelProps {
  /** Slack workspace (team) id, e.g. `T0123ABCD`: AWS Chatbot console → the authorized workspace. */
  readonly workspaceId: string;
  /** Slack channel id, e.g. `C0123ABCD` (channel details → bottom). A private channel must invite `@aws` first. */
  readonly channelId: string;
}

/** A Microsoft Teams channel AWS Chatbot posts to (the team authorized in the AWS Chatbot console first). */
export interface TeamsChannelProps {
  /** Id (UUID) of the team. */
  readonly teamId: string;
  /** Id of the channel as URL-encoded in the channel link (`19%3A...%40thread.tacv2`). */
  readonly channelId: string;
  /** Id (UUID) of the Microsoft 365 tenant. */
  readonly tenantId: string;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Who an alert severity reaches: an e-mail address, an HTTPS endpoint (PagerDuty, Opsgenie, a status page's webhook)
 * or a chat channel through AWS Chatbot. Build with the static factories; each validates its input.
 */
export class AlertReceiver {
  private constructor(
    public readonly kind: AlertReceiverKind,
    /** The address, URL or channel (`<workspace>/<channel>`, `<tenant>/<team>/<channel>`). */
    public readonly target: string,
    /** The Slack channel, for `slack`. */
    public readonly slackChannel?: SlackChannelProps,
    /** The Teams channel, for `teams`. */
    public readonly teamsChannel?: TeamsChannelProps,
  ) {}

  /** Whether the receiver is a chat channel (AWS Chatbot). */
  public get isChat(): boolean {
    return this.kind === 'slack' || this.kind === 'teams';
  }

  /** An e-mail address (SNS e-mail subscription: the address confirms it once). */
  public static email(address: string): AlertReceiver {
    requireEmailAddress('AlertReceiver.email', 'address', address);
    return new AlertReceiver('email', address);
  }

  /** An HTTPS endpoint that takes SNS notifications (PagerDuty's or Opsgenie's Amazon SNS/CloudWatch integration URL). */
  public static https(url: string): AlertReceiver {
    requireHttpsUrl('AlertReceiver.https', 'url', url);
    return new AlertReceiver('https', url);
  }

  /** A Slack channel through AWS Chatbot. */
  public static slack(props: SlackChannelProps): AlertReceiver {
    if (!/^[0-9A-Z]{1,255}$/.test(props.workspaceId)) {
      throw new PlatformValidationError('AlertReceiver.slack', 'workspaceId', props.workspaceId, 'is not a Slack workspace id',
        'use the id AWS Chatbot shows for the authorized workspace, e.g. T0123ABCD');
    }
    if (!/^[A-Za-z0-9]{1,255}$/.test(props.channelId)) {
      throw new PlatformValidationError('AlertReceiver.slack', 'channelId', props.channelId, 'is not a Slack channel id',
        'use the channel id from the channel details, e.g. C0123ABCD');
    }
    return new AlertReceiver('slack', `${props.workspaceId}/${props.channelId}`, props);
  }

  /** A Microsoft Teams channel through AWS Chatbot. */
  public static teams(props: TeamsChannelProps): AlertReceiver {
    for (const [prop, value] of [['teamId', props.teamId], ['tenantId', props.tenantId]] as const) {
      if (!UUID.test(value)) {
        throw new PlatformValidationError('AlertReceiver.teams', prop, value, 'is not a UUID', 'copy it from the channel link AWS Chatbot asks for');
      }
    }
    if (!/^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/.test(props.channelId)) {
      throw new PlatformValidationError('AlertReceiver.teams', 'channelId', props.channelId, 'is not a URL-encoded Teams channel id',
        'copy it from the channel link as it is there, e.g. 19%3Aabc%40thread.tacv2');
    }
    return new AlertReceiver('teams', `${props.tenantId}/${props.teamId}/${props.channelId}`, undefined, props);
  }
}
