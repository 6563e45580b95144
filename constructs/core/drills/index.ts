export * from './parameters';
export * from './steps';
export * from './verification';
export * from './drill';
export * from './aws-cli';
export * from './render-markdown';
export * from './render-ssm';
export * from './catalog';
