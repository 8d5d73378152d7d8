// The registry: every check of DESIGN §3, in that order, which is also report order.
// No directory scan and no registration by import side effect: this list is the truth.
import type { CheckDefinition } from './types.js';
import versionSupported from './version-supported.js';
import versionPatchCurrent from './version-patch-current.js';
import versionSkew from './version-skew.js';
import etcdIsolated from './etcd-isolated.js';
import etcdClientTls from './etcd-client-tls.js';
import etcdPeerTls from './etcd-peer-tls.js';
import etcdClientCertAuth from './etcd-client-cert-auth.js';
import etcdPeerCertAuth from './etcd-peer-cert-auth.js';
import etcdAuthEnabled from './etcd-auth-enabled.js';
import etcdSeparateCa from './etcd-separate-ca.js';
import apiserverEtcdTls from './apiserver-etcd-tls.js';
import apiserverEtcdIdentity from './apiserver-etcd-identity.js';
import networkExposure from './network-exposure.js';
import endpointsHttps from './endpoints-https.js';
import kubeletReadOnlyPort from './kubelet-read-only-port.js';
import apiserverAuthnServiceAccount from './apiserver-authn-service-account.js';
import apiserverAuthnSecondMethod from './apiserver-authn-second-method.js';
import apiserverAuthzNode from './apiserver-authz-node.js';
import apiserverAuthzPolicy from './apiserver-authz-policy.js';
import apiserverAuthzRbac from './apiserver-authz-rbac.js';
import apiserverAdmissionNodeRestriction from './apiserver-admission-node-restriction.js';
import apiserverAdmissionPodSecurity from './apiserver-admission-pod-security.js';
import apiserverPodSecurityBaseline from './apiserver-pod-security-baseline.js';
import apiserverPodSecurityEnforce from './apiserver-pod-security-enforce.js';
import kubeletAnonymousAuth from './kubelet-anonymous-auth.js';
import kubeletAuthzWebhook from './kubelet-authz-webhook.js';
import kubeletNodeIdentity from './kubelet-node-identity.js';
import kubeletClientAuthn from './kubelet-client-authn.js';

export const CHECKS = [
  versionSupported,
  versionPatchCurrent,
  versionSkew,
  etcdIsolated,
  etcdClientTls,
  etcdPeerTls,
  etcdClientCertAuth,
  etcdPeerCertAuth,
  etcdAuthEnabled,
  etcdSeparateCa,
  apiserverEtcdTls,
  apiserverEtcdIdentity,
  networkExposure,
  endpointsHttps,
  kubeletReadOnlyPort,
  apiserverAuthnServiceAccount,
  apiserverAuthnSecondMethod,
  apiserverAuthzNode,
  apiserverAuthzPolicy,
  apiserverAuthzRbac,
  apiserverAdmissionNodeRestriction,
  apiserverAdmissionPodSecurity,
  apiserverPodSecurityBaseline,
  apiserverPodSecurityEnforce,
  kubeletAnonymousAuth,
  kubeletAuthzWebhook,
  kubeletNodeIdentity,
  kubeletClientAuthn,
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CHECKS)[number]['id'];
