/** The heartbeat metric, shared by `AlertingHeartbeat` and its function (which must not load aws-cdk-lib). */
export const HEARTBEAT_METRIC = 'AlertingHeartbeat';

/** Namespace of the heartbeat metric. */
export const HEARTBEAT_METRIC_NAMESPACE = 'Platform/Alerting';
