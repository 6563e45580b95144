import { Validations } from 'aws-cdk-lib';
import type { ThreatDetection } from '../threat-detection';

/** Every cdk-nag finding of a ThreatDetection that is not a violation, acknowledged where it arises, with the reason. */
export function acknowledgeThreatDetectionFindings(detection: ThreatDetection): void {
  Validations.of(detection.configRole).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
    reason: 'AWS_ConfigRole is the policy AWS keeps current for the Config recorder as resource types are added (read-only Describe/List/Get of every recorded service); a hand-written copy would silently stop recording new types.',
  });
}
