import { PlatformValidationError } from '../../../core/errors';
import { isKnownRegion } from '../../../core/regions';
import type { ThreatDetectionProps } from '../threat-detection-props';
import { DEFAULT_GUARDDUTY_FEATURES } from './detectors';

/** GuardDuty detector feature names CloudFormation accepts. */
const GUARDDUTY_FEATURES = [
  'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'EKS_RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
];

/** The validated, defaulted values of a {@link ThreatDetection}. */
export interface ResolvedThreatDetectionProps {
  readonly features: readonly string[];
  readonly aggregateRegions: readonly string[];
  readonly packName: string;
}

/** Fails naming the prop, the value and the fix; `region` is the construct's stack region (a token when agnostic). */
export function validateThreatDetectionProps(where: string, props: ThreatDetectionProps, region: string): ResolvedThreatDetectionProps {
  const features = props.guardDutyFeatures ?? DEFAULT_GUARDDUTY_FEATURES;
  if (features.includes('S3_DATA_EVENTS')) {
    throw new PlatformValidationError(where, 'guardDutyFeatures', features, 'names S3_DATA_EVENTS, which the detector always turns on through DataSources.S3Logs',
      'leave S3_DATA_EVENTS out (S3 protection is always on: Control Tower\'s CT.GUARDDUTY.PR.1 checks DataSources.S3Logs)');
  }
  const unknown = features.filter((f) => !GUARDDUTY_FEATURES.includes(f));
  if (unknown.length > 0 || new Set(features).size !== features.length) {
    throw new PlatformValidationError(where, 'guardDutyFeatures', features, unknown.length > 0 ? `names unknown features (${unknown.join(', ')})` : 'names a feature twice',
      `use GuardDuty detector feature names: ${GUARDDUTY_FEATURES.join(', ')}`);
  }
  if (features.includes('EKS_RUNTIME_MONITORING') && features.includes('RUNTIME_MONITORING')) {
    throw new PlatformValidationError(where, 'guardDutyFeatures', features, 'names EKS_RUNTIME_MONITORING and RUNTIME_MONITORING, which GuardDuty refuses together',
      'keep RUNTIME_MONITORING (it covers EKS, ECS on Fargate and EC2)');
  }
  const aggregateRegions = props.aggregateRegions ?? [];
  const bad = aggregateRegions.filter((r) => !isKnownRegion(r) || r === region);
  if (bad.length > 0 || new Set(aggregateRegions).size !== aggregateRegions.length) {
    throw new PlatformValidationError(where, 'aggregateRegions', aggregateRegions,
      bad.length > 0 ? `contains ${bad.join(', ')}, not another known region` : 'names a region twice',
      `list each other region whose findings this region aggregates once, not ${region} itself`);
  }
  if (props.findingsTopicKey && !props.findingsTopic) {
    throw new PlatformValidationError(where, 'findingsTopicKey', props.findingsTopicKey.node.path, 'is given without findingsTopic', 'pass findingsTopic too, or drop findingsTopicKey');
  }
  const packName = props.conformancePackName ?? 'platform-baseline';
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,255}$/.test(packName)) {
    throw new PlatformValidationError(where, 'conformancePackName', packName, 'is not a conformance pack name',
      'use letters, digits and dashes, starting with a letter (e.g. platform-baseline)');
  }
  return { features, aggregateRegions, packName };
}
