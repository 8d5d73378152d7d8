import check from '../../src/checks/apiserver-authn-second-method.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const STRICT = { strictAuthentication: true };
const SECOND = ['client-ca-file', 'requestheader-client-ca-file', 'enable-bootstrap-token-auth'];
const AUTHN =
  'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [kubernetes]\n  claimMappings:\n    username:\n      claim: sub\n      prefix: "oidc:"\n';

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm, default mode: x509 client certificates count',
      host: kubeadmApiserver(),
      messageId: 'found',
      messageIncludes: ['x509 client certificates (--client-ca-file)'],
    },
    {
      name: 'strict: OIDC (--oidc-issuer-url, cluster-stacks oidcConfig)',
      host: kubeadmApiserver({ add: ['--oidc-issuer-url=https://idp.example.com', '--oidc-client-id=kubernetes'] }),
      context: STRICT,
      messageIncludes: ['OIDC (--oidc-issuer-url)'],
    },
    {
      name: 'strict: a jwt issuer in --authentication-config counts (the SCS test ignores it)',
      host: kubeadmApiserver({
        add: ['--authentication-config=/etc/kubernetes/authn.yaml'],
        files: { '/etc/kubernetes/authn.yaml': AUTHN },
      }),
      context: STRICT,
      messageIncludes: ['JWT authenticator https://idp.example.com'],
    },
    {
      name: 'strict: webhook token authentication in space form',
      host: kubeadmApiserver({
        add: ['--authentication-token-webhook-config-file', '/etc/kubernetes/webhook.kubeconfig'],
      }),
      context: STRICT,
      messageIncludes: ['webhook token authentication'],
    },
  ],
  fail: [
    {
      name: 'strict: kubeadm has only x509, request-header and bootstrap tokens',
      host: kubeadmApiserver(),
      context: STRICT,
      messageId: 'onlyNonStrict',
      messageIncludes: ['x509 client certificates (--client-ca-file)', 'bootstrap tokens'],
    },
    { name: 'only service account tokens', host: kubeadmApiserver({ without: SECOND }), messageId: 'none' },
    {
      name: '--enable-bootstrap-token-auth=false is no method',
      host: kubeadmApiserver({ without: SECOND, add: ['--enable-bootstrap-token-auth=false'] }),
      messageId: 'none',
    },
  ],
  unknown: [
    {
      name: 'strict: --authentication-config unreadable and nothing else qualifies',
      host: kubeadmApiserver({
        add: ['--authentication-config=/etc/kubernetes/authn.yaml'],
        files: { '/etc/kubernetes/authn.yaml': { reason: 'permission' } },
      }),
      context: STRICT,
      messageId: 'undetermined',
      messageIncludes: ['/etc/kubernetes/authn.yaml'],
    },
    {
      name: 'malformed --authentication-config (jwt issuer without url)',
      host: kubeadmApiserver({
        without: SECOND,
        add: ['--authentication-config=/a.yaml'],
        files: {
          '/a.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {}\n',
        },
      }),
      messageId: 'undetermined',
      messageIncludes: ['jwt[0].issuer.url'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
