import { Lazy, Names } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AlertReceiver } from '../alert-receiver';
import type { ChatChannel } from '../alerting-topics-props';

/** Subscribes the e-mail and HTTPS receivers to `topic` (chat receivers go through {@link addChatChannels}). */
export function subscribeReceivers(topic: sns.Topic, receivers: readonly AlertReceiver[]): void {
  for (const r of receivers) {
    if (r.kind === 'email') topic.addSubscription(new subscriptions.EmailSubscription(r.target));
    if (r.kind === 'https') topic.addSubscription(new subscriptions.UrlSubscription(r.target, { protocol: sns.SubscriptionProtocol.HTTPS }));
  }
}

/**
 * One AWS Chatbot configuration per distinct chat channel of the receivers, posting every topic the channel is a
 * receiver of. The channel role has no permissions and the guardrail is ReadOnlyAccess: the channel shows
 * notifications; nobody runs commands through it.
 */
export function addChatChannels(scope: Construct, byTopic: ReadonlyArray<[sns.ITopic, readonly AlertReceiver[]]>): ChatChannel[] {
  const channels = new Map<string, { receiver: AlertReceiver; topics: sns.ITopic[] }>();
  for (const [topic, receivers] of byTopic) {
    for (const r of receivers.filter((x) => x.isChat)) {
      const key = `${r.kind}:${r.target}`;
      const entry = channels.get(key) ?? { receiver: r, topics: [] };
      entry.topics.push(topic);
      channels.set(key, entry);
    }
  }
  const guardrail = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');
  return [...channels.values()].map(({ receiver, topics }, i) => {
    const name = `${Names.uniqueResourceName(scope, { maxLength: 100, separator: '-' })}-${receiver.kind}-${i}`;
    if (receiver.slackChannel) {
      const configuration = new chatbot.SlackChannelConfiguration(scope, `Slack${i}`, {
        slackChannelConfigurationName: name,
        slackWorkspaceId: receiver.slackChannel.workspaceId,
        slackChannelId: receiver.slackChannel.channelId,
        notificationTopics: topics,
        guardrailPolicies: [guardrail],
      });
      return {
        receiver, configuration, topics,
        addTopic: (t: sns.ITopic) => { topics.push(t); configuration.addNotificationTopic(t); },
      };
    }
    const teams = receiver.teamsChannel!;
    const role = new iam.Role(scope, `Teams${i}Role`, {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: `${scope.node.path}: AWS Chatbot channel role (no permissions: notifications only)`,
    });
    const configuration = new chatbot.CfnMicrosoftTeamsChannelConfiguration(scope, `Teams${i}`, {
      configurationName: name,
      iamRoleArn: role.roleArn,
      teamId: teams.teamId,
      teamsChannelId: teams.channelId,
      teamsTenantId: teams.tenantId,
      snsTopicArns: Lazy.list({ produce: () => topics.map((t) => t.topicArn) }),
      guardrailPolicies: [guardrail.managedPolicyArn],
    });
    return { receiver, configuration, topics, addTopic: (t: sns.ITopic) => { topics.push(t); } };
  });
}
