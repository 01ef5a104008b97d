import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecretBox } from './secret-box';

export const secretBoxProvider: Provider = {
  provide: SecretBox,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new SecretBox(config.secretKey.toString('base64')),
};

/** Additional authenticated data binding a sealed secret to its record and column. */
export const sealContext = {
  agentSecret: (nodeId: string) => `node:${nodeId}:agent_secret`,
  privateKey: (peerId: string) => `peer:${peerId}:private_key`,
  presharedKey: (peerId: string) => `peer:${peerId}:preshared_key`,
  webhookSecret: (subscriptionId: string) => `webhook:${subscriptionId}:secret`,
  auditSigningKey: (keyId: string) => `audit:${keyId}:private_key`,
  clusterDnsSecret: (clusterId: string) => `cluster:${clusterId}:dns_secret`,
  signInVerifier: (stateHash: string) => `oidc_login:${stateHash}:code_verifier`,
  sessionIdToken: (sessionId: string) => `session:${sessionId}:id_token_hint`,
};
