import { CfnResource, Fn, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import { escalationPlanAlias, responsePlanName } from '../../core/incidents/runbook-sections';
import { STACK_TAG_KEYS } from '../platform-stack';
import type { IncidentResponseProps, ResponsePlanOptions } from './incident-response-props';
import { buildOnCall } from './private/on-call-contacts';
import type { OnCall } from './private/on-call-contacts';
import { validateIncidentResponseProps, validateResponsePlanOptions } from './private/validate-incident-response-props';

export type { IncidentResponseProps, OnCallContact, ResponsePlanOptions } from './incident-response-props';

const IMPACT = ['', 'critical', 'high', 'medium', 'low', 'no impact'];

/**
 * Escalation in AWS Systems Manager Incident Manager: contacts (e-mail), a weekly on-call rotation in escalation order
 * (primary, and secondary shifted by one), and the escalation plan whose stages are the core `ESCALATION_STAGES` (0, 5,
 * 15 and 30 minutes: primary on-call, secondary on-call, senior engineer, incident commander; the runbooks render the
 * same stages). `addResponsePlan()` adds a response plan per service whose incidents carry the runbook, the dashboard,
 * the chat channel and the impact, engage the escalation plan, and are opened by the given alarms.
 *
 * Incident Manager needs the account's replication set (`replicationRegions` creates it). AWS closed Incident Manager
 * to new customers on 7 November 2025: an account not onboarded before cannot create one.
 */
export class IncidentResponse extends Construct {
  /** The escalation plan (contact of type ESCALATION). */
  public readonly escalationPlan: ssmcontacts.CfnContact;
  /** The primary and the secondary on-call rotation. */
  public readonly rotations: readonly ssmcontacts.CfnRotation[];
  /** The personal contacts, by alias (without the service prefix). */
  public readonly contacts: ReadonlyMap<string, ssmcontacts.CfnContact>;
  /** The replication set, when this construct creates it. */
  public readonly replicationSet?: ssmincidents.CfnReplicationSet;
  /** Topic the chat channels receive incident updates on, when the topics have chat channels. */
  public readonly chatTopic?: sns.Topic;
  /** The response plans, in the order added. */
  public readonly responsePlans: ssmincidents.CfnResponsePlan[] = [];
  private readonly service: string;
  private readonly onCall: OnCall;

  constructor(scope: Construct, id: string, props: IncidentResponseProps) {
    super(scope, id);
    const resolved = validateIncidentResponseProps(this.node.path, props);
    this.service = props.service;
    if (props.replicationRegions) {
      this.replicationSet = new ssmincidents.CfnReplicationSet(this, 'ReplicationSet', {
        regions: props.replicationRegions.map((regionName) => ({ regionName })),
        deletionProtected: true,
      });
      // Deleting the replication set deletes every incident record, contact and response plan of the account.
      this.replicationSet.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.onCall = buildOnCall(this, {
      service: props.service,
      rotation: resolved.contacts,
      seniorEngineer: props.seniorEngineer,
      incidentCommander: props.incidentCommander,
      rotationStart: resolved.rotationStart,
      timeZone: resolved.timeZone,
      escalationAlias: escalationPlanAlias(props.service),
    });
    this.escalationPlan = this.onCall.escalationPlan;
    this.rotations = this.onCall.rotations;
    this.contacts = new Map([...this.onCall.contacts].map(([alias, c]) => [alias, c.contact]));
    if (props.topics && props.topics.chatChannels.length > 0) {
      this.chatTopic = this.createChatTopic(props.topics.key);
      props.topics.addChatTopic(this.chatTopic);
    }
    // SSM Contacts tag keys allow no ':', so the platform:* stack tags stay off them (the response plan keeps them).
    for (const key of Object.values(STACK_TAG_KEYS)) {
      Tags.of(this).remove(key, { priority: 1000, includeResourceTypes: ['AWS::SSMContacts::Contact', 'AWS::SSMContacts::Rotation'] });
    }
    if (this.replicationSet) {
      for (const c of this.node.findAll()) if (c !== this.replicationSet && isCfnOfIncidentManager(c)) c.node.addDependency(this.replicationSet);
    }
  }

  /**
   * Makes `alarm` open an incident with the response plan `planName` when it goes to ALARM (the alarm action
   * `arn:aws:ssm-incidents::<account>:response-plan/<name>`, a name: no deployment order between the two).
   */
  public static openIncidentOn(alarm: cloudwatch.AlarmBase, planName: string): void {
    alarm.addAlarmAction(new cloudwatchActions.SsmIncidentAction(planName));
  }

  /**
   * A response plan (default name `<service>-service-page`): its incidents are titled `title`, carry the impact, a
   * summary with the runbook and dashboard links and the chat channel, are deduplicated per plan (an open incident
   * absorbs further alarms), and engage the escalation plan. `options.alarms` open it.
   */
  public addResponsePlan(options: ResponsePlanOptions): ssmincidents.CfnResponsePlan {
    const name = options.name ?? responsePlanName(this.service);
    const impact = validateResponsePlanOptions(this.node.path, name, options);
    const stack = Stack.of(this);
    const dashboard = `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards/dashboard/${options.dashboardName}`;
    const summary = Fn.join('', [
      `${options.title}. Impact ${impact} (${IMPACT[impact]}). Runbook: ${options.runbookUrl} . Dashboard: `, dashboard,
      ` . Chat: ${this.chatTopic ? 'the alert channel (AWS Chatbot) receives this incident\'s updates' : 'none configured'}.`,
      ' Escalation: primary on-call at once, secondary at +5 min, senior engineer at +15, incident commander at +30 until acknowledged.',
    ]);
    const plan = new ssmincidents.CfnResponsePlan(this, `ResponsePlan-${name}`, {
      name,
      displayName: `${this.service}: ${options.title}`.slice(0, 200),
      incidentTemplate: {
        title: options.title,
        impact,
        summary,
        dedupeString: name,
        incidentTags: [{ key: 'platform:service', value: this.service }],
      },
      engagements: [this.escalationPlan.attrArn],
      ...(this.chatTopic ? { chatChannel: { chatbotSns: [this.chatTopic.topicArn] } } : {}),
    });
    plan.node.addDependency(this.escalationPlan);
    if (this.replicationSet) plan.node.addDependency(this.replicationSet);
    this.responsePlans.push(plan);
    for (const alarm of options.alarms ?? []) IncidentResponse.openIncidentOn(alarm, name);
    return plan;
  }

  /** The encrypted topic Incident Manager posts incident updates to, for the chat channels. */
  private createChatTopic(key: kms.IKey): sns.Topic {
    const stack = Stack.of(this);
    const topic = new sns.Topic(this, 'ChatTopic', { displayName: `${this.service} incidents`, masterKey: key, enforceSSL: true });
    // Incident Manager publishes chat updates as its service-linked role (matched by path: it may not exist yet).
    const incidentManager = { ArnLike: { 'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/ssm-incidents.amazonaws.com/*` } };
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowIncidentManager', principals: [new iam.AccountRootPrincipal()], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: incidentManager,
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowIncidentManagerChat', principals: [new iam.AccountRootPrincipal()], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'],
      conditions: incidentManager,
    }));
    return topic;
  }
}

function isCfnOfIncidentManager(c: IConstruct): c is CfnResource {
  return c instanceof CfnResource && (c.cfnResourceType.startsWith('AWS::SSMContacts::') || c.cfnResourceType.startsWith('AWS::SSMIncidents::'));
}
