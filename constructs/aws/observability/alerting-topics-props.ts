import type * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { AlertReceiver } from './alert-receiver';

/** Props of {@link AlertingTopics}. */
export interface AlertingTopicsProps {
  /**
   * Display name prefix of the topics (`<prefix> critical`, `<prefix> warning`), shown in e-mail and SMS notifications.
   * @default - the construct path
   */
  readonly displayNamePrefix?: string;
  /**
   * Who `critical` alerts page: e-mail addresses, HTTPS endpoints (PagerDuty, Opsgenie), chat channels (AWS Chatbot).
   * @default - nobody: synth warns (an error with `production: true`) unless something else subscribes to the critical topic
   */
  readonly pageReceivers?: readonly AlertReceiver[];
  /**
   * Who `warning` alerts open a ticket with: e-mail addresses (a ticket queue), HTTPS endpoints, chat channels.
   * @default - nobody
   */
  readonly ticketReceivers?: readonly AlertReceiver[];
  /**
   * The stack runs production: a critical topic that reaches nobody fails synthesis instead of warning.
   * @default false
   */
  readonly production?: boolean;
}

/** A chat channel configuration (AWS Chatbot) and the topics it posts. */
export interface ChatChannel {
  readonly receiver: AlertReceiver;
  /** The L2 configuration (Slack) or the L1 one (Teams: aws-chatbot has no L2 for it). */
  readonly configuration: chatbot.SlackChannelConfiguration | chatbot.CfnMicrosoftTeamsChannelConfiguration;
  /** The topics the channel posts. */
  readonly topics: readonly sns.ITopic[];
  /** Adds a topic the channel posts (incident updates, another severity). */
  addTopic(topic: sns.ITopic): void;
}

