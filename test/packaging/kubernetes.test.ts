// The Kubernetes manifests, validated offline: they parse, have what the API server requires,
// and keep the pod to the least privilege the audit needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../support/paths.js';

type Doc = Record<string, unknown>;
const file = path.join(repoRoot, 'packaging/kubernetes/daemonset.yaml');
const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
  assert.deepEqual(d.errors, [], `${file}: ${d.errors.join('; ')}`);
  return d.toJS() as Doc;
});
const get = (doc: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
    doc,
  );

describe('packaging/kubernetes/daemonset.yaml', () => {
  it('every object has apiVersion, kind and metadata.name', () => {
    for (const doc of docs) {
      assert.ok(typeof doc.apiVersion === 'string' && typeof doc.kind === 'string', JSON.stringify(doc).slice(0, 80));
      assert.ok(typeof get(doc, 'metadata', 'name') === 'string');
    }
    assert.deepEqual(docs.map((d) => d.kind).sort(), [
      'ConfigMap',
      'DaemonSet',
      'Namespace',
      'PodMonitor',
      'ServiceAccount',
    ]);
  });

  const ds = docs.find((d) => d.kind === 'DaemonSet')!;
  const pod = get(ds, 'spec', 'template', 'spec') as Doc;
  const container = (pod.containers as Doc[])[0]!;

  it('selector matches the pod labels', () => {
    assert.deepEqual(get(ds, 'spec', 'selector', 'matchLabels'), get(ds, 'spec', 'template', 'metadata', 'labels'));
  });

  it('sees host processes but not the host network, and never runs privileged', () => {
    assert.equal(pod.hostPID, true);
    assert.notEqual(pod.hostNetwork, true);
    assert.equal(get(container, 'securityContext', 'privileged'), false);
    assert.equal(get(container, 'securityContext', 'allowPrivilegeEscalation'), false);
    assert.equal(get(container, 'securityContext', 'readOnlyRootFilesystem'), true);
    assert.deepEqual(get(container, 'securityContext', 'capabilities'), {
      drop: ['ALL'],
      add: ['DAC_READ_SEARCH', 'SYS_PTRACE'],
    });
  });

  it('mounts the host root read-only at /host and audits it with --root /host', () => {
    const mount = (container.volumeMounts as Doc[]).find((m) => m.mountPath === '/host');
    assert.equal(mount?.readOnly, true);
    const volume = (pod.volumes as Doc[]).find((v) => v.name === mount.name);
    assert.equal(get(volume, 'hostPath', 'path'), '/');
    assert.ok((container.args as string[]).includes('--root=/host'));
  });

  it('tolerates every taint so control-plane nodes are audited too', () => {
    assert.ok((pod.tolerations as Doc[]).some((t) => t.operator === 'Exists' && t.key === undefined));
  });

  it('has resource requests and a memory limit', () => {
    assert.ok(get(container, 'resources', 'requests', 'memory'));
    assert.ok(get(container, 'resources', 'limits', 'memory'));
  });

  it('the scrape port is the one the container listens on', () => {
    const port = (container.ports as Doc[])[0]!;
    assert.ok((container.args as string[]).some((a) => a.endsWith(`:${port.containerPort as number}`)));
    const monitor = docs.find((d) => d.kind === 'PodMonitor')!;
    assert.equal(get(monitor, 'spec', 'podMetricsEndpoints', 0, 'port'), port.name);
  });

  it('the PodMonitor names the job "scs-node-audit", as the shipped alert rules expect, and labels the node', () => {
    const monitor = docs.find((d) => d.kind === 'PodMonitor')!;
    // Without jobLabel the Prometheus Operator sets job="<namespace>/<podmonitor>" (issue 11).
    const jobLabel = get(monitor, 'spec', 'jobLabel');
    assert.equal(typeof jobLabel, 'string');
    assert.equal(get(ds, 'spec', 'template', 'metadata', 'labels', jobLabel as string), 'scs-node-audit');
    const rules = readFileSync(path.join(repoRoot, 'packaging/prometheus/scs-node-audit.rules.yml'), 'utf8');
    assert.match(rules, /up\{job=~"\(\.\+\/\)\?scs-node-audit"\}/);
    const relabelings = get(monitor, 'spec', 'podMetricsEndpoints', 0, 'relabelings') as Doc[];
    assert.ok(
      relabelings.some(
        (r) => r.targetLabel === 'node' && (r.sourceLabels as string[])[0] === '__meta_kubernetes_pod_node_name',
      ),
    );
  });

  it('the Containerfile says once which user the image runs as, the one the pod runs as', () => {
    const containerfile = readFileSync(path.join(repoRoot, 'packaging/container/Containerfile'), 'utf8');
    const instructions = containerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
    // It used to start FROM a `:nonroot` base and then switch to USER 0.
    assert.deepEqual(
      instructions.filter((line) => line.startsWith('FROM ')),
      ['FROM scratch'],
    );
    assert.deepEqual(
      instructions.filter((line) => line.startsWith('USER ')),
      ['USER 0:0'],
    );
    assert.equal(get(container, 'securityContext', 'runAsUser'), 0);
    assert.ok(instructions.includes('ENTRYPOINT ["/usr/bin/scs-node-audit"]'));
  });

  it('runs the image the README builds, at the package version', () => {
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const built = /podman build [^\n]*-t (\S+)/.exec(readme)?.[1];
    assert.equal(container.image, built);
    assert.ok(String(container.image).endsWith(`:${version}`), String(container.image));
  });
});
