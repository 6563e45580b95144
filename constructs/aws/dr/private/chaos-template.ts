import type { ChaosExperimentProps } from '../chaos-experiment';

/**
 * One experiment of the chaos matrix as `ChaosExperiments` adds it: the construct ID under the facade and the
 * experiment's props (the facade adds its stop condition alarms and log group).
 */
export interface ChaosExperimentTemplate {
  /** Construct ID of the experiment under the `ChaosExperiments` (one experiment per ID). */
  readonly constructId: string;
  /** The experiment, without the facade's stop conditions and log group. */
  readonly props: Omit<ChaosExperimentProps, 'stopConditionAlarms' | 'logGroup'>;
}
