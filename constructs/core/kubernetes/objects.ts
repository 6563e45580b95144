import { PlatformValidationError } from '../errors';

/**
 * The plain-object form of a Kubernetes object: what both engines render (cdk8s `ApiObject`, Pulumi resources).
 * The builders of core/kubernetes import neither cdk8s nor Pulumi, so the two engines produce identical specs.
 */
export interface KubeObject {
  readonly [field: string]: unknown;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
}

/** A rendered object and its construct id (stable: the id is API, as in the CDK). */
export interface Manifest {
  readonly id: string;
  readonly object: KubeObject;
}

/** Label on every object the platform renders. */
export const PART_OF = { 'app.kubernetes.io/part-of': 'platform-stacks' } as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (names of namespaces, Services, most objects): at most `max` characters. */
export function requireDnsLabel(where: string, prop: string, value: string, max = 63): void {
  if (value.length > max || !DNS_LABEL.test(value)) {
    throw new PlatformValidationError(where, prop, value, `is not a valid Kubernetes name`,
      `use at most ${max} lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** A Kubernetes quantity such as `50Gi`. */
export function requireQuantity(where: string, prop: string, value: string): void {
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not a Kubernetes quantity', 'use a size such as \'50Gi\'');
  }
}
