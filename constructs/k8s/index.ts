/**
 * platform-stacks on Kubernetes (cdk8s): the package entry `platform-stacks/k8s`. A separate entry from the main
 * barrel so AWS users never load cdk8s; it needs the peer dependency `cdk8s`.
 */
export * from './service-props';
export * from './monitoring-props';
export * from './service-chart';
export * from './monitoring-stack-chart';
export * from './imports/monitoring.coreos.com';
