import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** An AWS service that publishes to an alerting topic, and the resources of this account it publishes for. */
export interface TopicPublisher {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /** Statement id suffix, unique per topic and key (e.g. `EventBridge`). */
  readonly sid: string;
  /** `aws:SourceArn` pattern of the publishing resources; the account is always pinned with `aws:SourceAccount`. */
  readonly sourceArn?: string;
}

/** Statement ids already added, per topic or key (a policy's Sids must be unique). */
const added = new WeakMap<object, Set<string>>();

function once(target: object, sid: string): boolean {
  const sids = added.get(target) ?? new Set<string>();
  added.set(target, sids);
  if (sids.has(sid)) return false;
  sids.add(sid);
  return true;
}

/**
 * Lets `publisher` publish to `topic` (topic policy) and, when the topic is encrypted with `key`, use the key to do
 * so (key policy), only for resources of the topic's account. Adds nothing that names the caller's stack, so a
 * stack deployed after the topic's can call it without a dependency cycle.
 */
export function allowServiceToPublish(topic: sns.ITopic, key: kms.IKey | undefined, publisher: TopicPublisher): void {
  const account = Stack.of(topic).account;
  const conditions: Record<string, Record<string, string>> = { StringEquals: { 'aws:SourceAccount': account } };
  if (publisher.sourceArn) conditions.ArnLike = { 'aws:SourceArn': publisher.sourceArn };
  if (once(topic, publisher.sid)) {
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Allow${publisher.sid}`,
      principals: [new iam.ServicePrincipal(publisher.service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }));
  }
  if (key && once(key, publisher.sid)) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Allow${publisher.sid}ToPublish`,
      principals: [new iam.ServicePrincipal(publisher.service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
  }
}
