import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referencedFiles, resolveOtherComponent } from '../../src/resolve/other-components.js';
import { processInfo, type ProcessSpec } from '../support/host.js';

const endpointsOf = (spec: ProcessSpec) =>
  resolveOtherComponent(processInfo(spec)).endpoints.map(
    (e) => `${e.purpose} ${e.scheme}://${e.address}:${e.port} ${e.evidence.source}`,
  );

describe('kube-controller-manager and kube-scheduler', () => {
  it('kubeadm defaults: secure port on the bind address given', () =>
    assert.deepEqual(
      endpointsOf({ component: 'kube-controller-manager', args: ['--bind-address=127.0.0.1', '--leader-elect=true'] }),
      ['secure-port https://127.0.0.1:10257 flag'],
    ));
  it('no flags: 0.0.0.0:10259 by default', () =>
    assert.deepEqual(endpointsOf({ component: 'kube-scheduler' }), ['secure-port https://0.0.0.0:10259 default']));
  it('SCS reference stack: bind-address 0.0.0.0, space form', () =>
    assert.deepEqual(
      endpointsOf({ component: 'kube-scheduler', args: ['--bind-address', '0.0.0.0', '--secure-port', '10259'] }),
      ['secure-port https://0.0.0.0:10259 flag'],
    ));
  it('--secure-port=0 disables the port', () =>
    assert.deepEqual(endpointsOf({ component: 'kube-controller-manager', args: ['--secure-port=0'] }), []));
  it('repeated flag: last wins', () =>
    assert.deepEqual(
      endpointsOf({
        component: 'kube-controller-manager',
        args: ['--bind_address=0.0.0.0', '--bind-address=127.0.0.1'],
      }),
      ['secure-port https://127.0.0.1:10257 flag'],
    ));
  it('old insecure --port given explicitly is plain HTTP on --address (default 0.0.0.0)', () =>
    assert.deepEqual(endpointsOf({ component: 'kube-controller-manager', args: ['--port=10252'] }), [
      'secure-port https://0.0.0.0:10257 default',
      'insecure-port http://0.0.0.0:10252 flag',
    ]));
  it('--port=0 (kubeadm before 1.24) is no endpoint', () =>
    assert.deepEqual(endpointsOf({ component: 'kube-scheduler', args: ['--port=0', '--bind-address=127.0.0.1'] }), [
      'secure-port https://127.0.0.1:10259 flag',
    ]));
  it('bad --secure-port value is a warning, not an endpoint', () =>
    assert.match(
      resolveOtherComponent(processInfo({ component: 'kube-scheduler', args: ['--secure-port=abc'] })).warnings.join(),
      /not an integer/,
    ));
});

describe('kube-proxy', () => {
  it('defaults: metrics on loopback, healthz on all interfaces', () =>
    assert.deepEqual(endpointsOf({ component: 'kube-proxy' }), [
      'metrics http://127.0.0.1:10249 default',
      'healthz http://0.0.0.0:10256 default',
    ]));
  it('flags without --config', () =>
    assert.deepEqual(
      endpointsOf({
        component: 'kube-proxy',
        args: ['--metrics-bind-address=0.0.0.0:10249', '--healthz-bind-address='],
      }),
      ['metrics http://0.0.0.0:10249 flag'],
    ));
  it('SCS reference stack: KubeProxyConfiguration metricsBindAddress 0.0.0.0:10249', () => {
    const spec: ProcessSpec = {
      component: 'kube-proxy',
      args: ['--config=/var/lib/kube-proxy/config.conf', '--hostname-override=node-1'],
      files: {
        '/var/lib/kube-proxy/config.conf':
          'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetricsBindAddress: "0.0.0.0:10249"\n',
      },
    };
    assert.deepEqual(endpointsOf(spec), [
      'metrics http://0.0.0.0:10249 config-file',
      'healthz http://0.0.0.0:10256 default',
    ]);
    assert.deepEqual(referencedFiles(processInfo(spec)), [{ path: '/var/lib/kube-proxy/config.conf', kind: 'text' }]);
  });
  it('with --config the bind-address flags are ignored, as kube-proxy does', () =>
    assert.deepEqual(
      endpointsOf({
        component: 'kube-proxy',
        args: ['--config', 'config.conf', '--metrics-bind-address=127.0.0.1:10249'],
        cwd: '/var/lib/kube-proxy',
        files: { 'config.conf': '{"metricsBindAddress": "[::]", "healthzBindAddress": "127.0.0.1:10256"}' },
      }),
      ['metrics http://:::10249 config-file', 'healthz http://127.0.0.1:10256 config-file'],
    ));
  it('unreadable --config: no endpoints and a warning naming the file', () => {
    const r = resolveOtherComponent(
      processInfo({
        component: 'kube-proxy',
        args: ['--config=/var/lib/kube-proxy/config.conf'],
        files: { '/var/lib/kube-proxy/config.conf': { reason: 'permission' } },
      }),
    );
    assert.deepEqual(r.endpoints, []);
    assert.match(r.warnings.join(), /\/var\/lib\/kube-proxy\/config.conf/);
  });
  it('malformed --config: a warning, no crash', () => {
    const r = resolveOtherComponent(
      processInfo({
        component: 'kube-proxy',
        args: ['--config=/c.yaml'],
        files: { '/c.yaml': 'metricsBindAddress: [\n' },
      }),
    );
    assert.deepEqual(r.endpoints, []);
    assert.match(r.warnings.join(), /not valid YAML/);
  });
  it('wrongly typed field: a warning, no endpoint', () => {
    const r = resolveOtherComponent(
      processInfo({
        component: 'kube-proxy',
        args: ['--config=/c.yaml'],
        files: { '/c.yaml': 'metricsBindAddress: 10249\n' },
      }),
    );
    assert.deepEqual(r.endpoints, []);
    assert.match(r.warnings.join(), /metricsBindAddress is not a string/);
  });
});
