/**
 * How the stacks of a multi-region platform are named: the one rule the platform composition, the drill catalog and
 * the drill CLI (which finds the stacks in cdk.out and in the `cdk deploy --outputs-file` file) share.
 */

/**
 * A stack of the platform, by what it holds: the regional base stacks (network, vaults), the applications, the global edge,
 * and the opt-in account baseline (`baseline` in us-east-1, `<region role>-baseline` for the platform's other regions).
 */
export type PlatformStackRole = 'primary-base' | 'secondary-base' | 'primary' | 'secondary' | 'global'
  | 'baseline' | 'primary-baseline' | 'secondary-baseline';

/** Whether a stack name is one of the account baseline's (`<service>-baseline`, `<service>-<role>-baseline`): no drill targets them. */
export function isBaselineStackName(name: string): boolean {
  return name.endsWith('-baseline');
}

/** The ID (and CloudFormation name) of a platform stack: `<service>-<role>`, stable, so `cdk deploy <id>` and the drills can name it. */
export function platformStackId(service: string, role: PlatformStackRole): string {
  return `${service}-${role}`;
}

/** The service of the `role` stack named `id` (the inverse of {@link platformStackId}); undefined when `id` is not a `role` stack's. */
export function serviceOfPlatformStack(id: string, role: PlatformStackRole): string | undefined {
  const suffix = `-${role}`;
  return id.length > suffix.length && id.endsWith(suffix) ? id.slice(0, -suffix.length) : undefined;
}
