import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlertingTopics } from '../observability/alerting-topics';

/** A person Incident Manager engages, reached by e-mail. */
export interface OnCallContact {
  /** Short name, lowercase letters, digits, `-` and `_` (the contact's alias is `<service>-<alias>`). */
  readonly alias: string;
  /** E-mail address of the contact channel (the person activates it with the code Incident Manager sends). */
  readonly email: string;
}

/** Props of {@link IncidentResponse}. */
export interface IncidentResponseProps {
  /** The service (`platform:service`): names of the contacts, rotations, escalation plan and response plans. */
  readonly service: string;
  /**
   * The on-call rotation, in escalation order (at least 2): each week's primary on-call is the next in the list, and the
   * secondary on-call the one after (a second rotation, shifted by one).
   */
  readonly onCallContacts: readonly OnCallContact[];
  /**
   * Who the senior-engineer stage engages.
   * @default - every contact of the rotation
   */
  readonly seniorEngineer?: OnCallContact;
  /**
   * Who the incident-commander stage engages.
   * @default - every contact of the rotation
   */
  readonly incidentCommander?: OnCallContact;
  /**
   * When the rotations start (`YYYY-MM-DDTHH:MM:SS` in `timeZone`); hand-offs are weekly on that weekday and time.
   * @default '2026-01-05T09:00:00' - a Monday, 09:00
   */
  readonly rotationStart?: string;
  /**
   * IANA time zone of the rotations.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Regions of the Incident Manager replication set to create (the account's one; deletion-protected and retained:
   * deleting it deletes every incident record, contact and response plan of the account). Incident Manager must be
   * onboarded once per account: leave this out where a replication set exists already.
   * @default - none created: the account's replication set must exist before deployment
   */
  readonly replicationRegions?: readonly string[];
  /**
   * Topics whose chat channels (AWS Chatbot) also receive the incidents' updates.
   * @default - no chat channel on the incidents
   */
  readonly topics?: AlertingTopics;
}

/** Options of {@link IncidentResponse.addResponsePlan}. */
export interface ResponsePlanOptions {
  /**
   * Name of the response plan.
   * @default - `<service>-service-page`
   */
  readonly name?: string;
  /** Title of the incidents it opens. */
  readonly title: string;
  /** URL of the runbook the responders follow. */
  readonly runbookUrl: string;
  /** Name of the CloudWatch dashboard of the service (the incident links it). */
  readonly dashboardName: string;
  /**
   * Incident Manager impact, 1 (critical: full outage for most customers) to 5 (no impact).
   * @default 2 - high: the service fails for some customers
   */
  readonly impact?: number;
  /**
   * Alarms whose ALARM state opens an incident with this plan (e.g. `ServiceMonitoring.pageAlarm`).
   * @default - none: attach later with `openIncidentOn`
   */
  readonly alarms?: readonly cloudwatch.AlarmBase[];
}
