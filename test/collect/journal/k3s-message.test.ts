import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  logrusMessage,
  parseK3sMessage,
  readGoQuoted,
  splitK3sArgs,
} from '../../../src/collect/journal/k3s-message.js';

describe('logrus lines', () => {
  test('the text format of a non-terminal stderr: msg is a Go-quoted value', () => {
    assert.equal(
      logrusMessage('time="2025-08-20T10:21:37Z" level=info msg="Starting k3s v1.33.4+k3s1 (8f3b2a1c)"'),
      'Starting k3s v1.33.4+k3s1 (8f3b2a1c)',
    );
  });

  test('Go escapes in the quoted msg are undone (\\" \\\\ \\t \\u00e9 \\xff)', () => {
    const line = String.raw`time="2025-08-20T10:21:37Z" level=info msg="Running kubelet --node-labels=a=\"b c\" --root-dir=C:\\k --x=\t --name=caf\u00e9" component=agent`;
    assert.equal(logrusMessage(line), 'Running kubelet --node-labels=a="b c" --root-dir=C:\\k --x=\t --name=café');
    assert.deepEqual(readGoQuoted('"\\xff"', 0)?.value, Buffer.from([0xff]).toString('utf8'));
  });

  test('a malformed quoted value leaves the line as it is', () => {
    const line = 'time="2025-08-20T10:21:37Z" level=info msg="Running kubelet --a=\\q"';
    assert.equal(logrusMessage(line), line);
    assert.equal(readGoQuoted('"unterminated', 0), undefined);
  });

  test('the terminal format (INFO[0000] …) and a bare message', () => {
    assert.equal(
      logrusMessage('INFO[0003] Running kube-proxy --proxy-mode=iptables      '),
      'Running kube-proxy --proxy-mode=iptables',
    );
    assert.equal(logrusMessage('Running kube-proxy --proxy-mode=iptables'), 'Running kube-proxy --proxy-mode=iptables');
  });
});

describe('k3s argument strings', () => {
  test('k3s joins --name=value arguments with single spaces', () => {
    assert.deepEqual(splitK3sArgs('--a=1 --b= --c=x,y'), { argv: ['--a=1', '--b=', '--c=x,y'], ambiguous: [] });
  });

  test('a word without -- continues the previous value, and the flag is reported as ambiguous', () => {
    assert.deepEqual(splitK3sArgs('--node-labels=a=b c --v=2'), {
      argv: ['--node-labels=a=b c', '--v=2'],
      ambiguous: ['--node-labels'],
    });
  });
});

describe('parseK3sMessage', () => {
  test('server and agent start lines carry the version', () => {
    assert.deepEqual(parseK3sMessage('time="t" level=info msg="Starting k3s v1.33.4+k3s1 (8f3b2a1c)"'), {
      kind: 'start',
      role: 'server',
      version: 'v1.33.4+k3s1',
    });
    assert.deepEqual(parseK3sMessage('time="t" level=info msg="Starting k3s agent v1.30.14+k3s2 (0a1b2c3d)"'), {
      kind: 'start',
      role: 'agent',
      version: 'v1.30.14+k3s2',
    });
  });

  test('a Running line of a known component gives its argv', () => {
    assert.deepEqual(
      parseK3sMessage('time="t" level=info msg="Running kube-apiserver --anonymous-auth=false --profiling=false"'),
      {
        kind: 'command-line',
        component: 'kube-apiserver',
        argv: ['--anonymous-auth=false', '--profiling=false'],
        ambiguous: [],
      },
    );
  });

  test('other lines are not ours: unknown component, no args, other messages', () => {
    assert.equal(
      parseK3sMessage(
        'time="t" level=info msg="Running load balancer k3s-agent-load-balancer 127.0.0.1:6444 -> [10.0.0.5:6443]"',
      ),
      undefined,
    );
    assert.equal(
      parseK3sMessage(
        'time="t" level=info msg="Running containerd -c /var/lib/rancher/k3s/agent/etc/containerd/config.toml"',
      ),
      undefined,
    );
    assert.equal(parseK3sMessage('time="t" level=info msg="Running kubelet"'), undefined);
    assert.equal(parseK3sMessage('I0820 10:21:37.000000    1207 server.go:148] Version: v1.33.4+k3s1'), undefined);
  });
});
