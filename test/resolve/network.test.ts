import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrContains,
  classifyAddress,
  exposureOf,
  parseCidr,
  parseCidrs,
  parseIp,
  splitHostPort,
} from '../../src/resolve/network.js';

describe('classifyAddress', () => {
  const cases: [string, ReturnType<typeof classifyAddress>][] = [
    ['0.0.0.0', 'wildcard'],
    ['::', 'wildcard'],
    ['', 'wildcard'],
    ['[::]', 'wildcard'],
    ['127.0.0.1', 'loopback'],
    ['127.0.1.1', 'loopback'],
    ['::1', 'loopback'],
    ['localhost', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], // CGNAT, RFC 6598: provider-internal, not public
    ['100.127.255.254', 'private'],
    ['100.128.0.1', 'public'],
    ['fd00::1', 'private'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.5', 'private'], // IPv4-mapped listener on a tcp6 socket
    ['::ffff:203.0.113.7', 'public'],
    ['203.0.113.7', 'public'], // documentation range: deliberately public (see network.ts)
    ['2001:db8::10', 'public'],
    ['8.8.8.8', 'public'],
    ['2a01:4f8::1', 'public'],
    ['etcd-1.example', undefined],
    ['010.0.0.1', undefined], // Go rejects leading zeros; so do we
    ['1.2.3', undefined],
    ['1::2::3', undefined],
  ];
  for (const [address, expected] of cases)
    it(`${address || '(empty)'} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
});

describe('parseIp', () => {
  it('expands IPv6 with an embedded IPv4 tail', () =>
    assert.deepEqual(parseIp('::ffff:10.0.0.1')?.bytes.slice(10), [0xff, 0xff, 10, 0, 0, 1]));
  it('rejects too many groups', () => assert.equal(parseIp('1:2:3:4:5:6:7:8:9'), undefined));
  it('accepts a full address', () => assert.equal(parseIp('2001:db8:0:0:0:0:0:1')?.family, 6));
});

describe('CIDRs', () => {
  it('matches IPv4', () => assert.ok(cidrContains(parseCidr('10.0.0.0/8')!, '10.1.2.3')));
  it('does not match outside', () => assert.ok(!cidrContains(parseCidr('10.0.0.0/16')!, '10.1.2.3')));
  it('matches IPv4-mapped IPv6 against an IPv4 CIDR', () =>
    assert.ok(cidrContains(parseCidr('192.168.0.0/16')!, '::ffff:192.168.4.2')));
  it('matches IPv6', () => assert.ok(cidrContains(parseCidr('2001:db8:1::/48')!, '2001:db8:1:2::5')));
  it('IPv6 CIDR does not match IPv4', () => assert.ok(!cidrContains(parseCidr('::/0')!, '10.0.0.1')));
  it('masks host bits like Go ParseCIDR', () => assert.ok(cidrContains(parseCidr('10.0.0.5/8')!, '10.9.9.9')));
  it('a bare address is a /32', () => assert.ok(!cidrContains(parseCidr('10.0.0.5')!, '10.0.0.6')));
  it('rejects garbage and too-long prefixes', () =>
    assert.deepEqual(parseCidrs(['10.0.0.0/33', 'x', '10.0.0.0/8']).invalid, ['10.0.0.0/33', 'x']));
});

describe('splitHostPort', () => {
  it('IPv4', () => assert.deepEqual(splitHostPort('0.0.0.0:10249'), { host: '0.0.0.0', port: 10249 }));
  it('bracketed IPv6', () => assert.deepEqual(splitHostPort('[::]:10256'), { host: '::', port: 10256 }));
  it('empty host', () => assert.deepEqual(splitHostPort(':10249'), { host: '', port: 10249 }));
  it('address without port', () => assert.deepEqual(splitHostPort('0.0.0.0'), { host: '0.0.0.0', port: undefined }));
  it('bare IPv6 without port', () => assert.deepEqual(splitHostPort('::1'), { host: '::1', port: undefined }));
  it('bad port', () => assert.equal(splitHostPort('1.2.3.4:99999'), undefined));
});

describe('exposureOf', () => {
  const cidrs = parseCidrs(['10.0.0.0/8']).cidrs;
  it('wildcard on a host with only internal addresses is internal', () =>
    assert.equal(exposureOf('0.0.0.0', 'tcp', ['127.0.0.1', '10.0.0.10', 'fe80::1'], cidrs).kind, 'internal'));
  it('wildcard on a host with a public address is public', () =>
    assert.deepEqual(exposureOf('0.0.0.0', 'tcp', ['127.0.0.1', '10.0.0.10', '198.51.100.4'], cidrs), {
      kind: 'public',
      addresses: ['198.51.100.4'],
    }));
  it('an IPv4 wildcard socket does not reach public IPv6 addresses', () =>
    assert.equal(exposureOf('0.0.0.0', 'tcp', ['10.0.0.10', '2001:db8::5'], cidrs).kind, 'internal'));
  it('an IPv6 wildcard socket reaches IPv4 addresses too (dual stack)', () =>
    assert.equal(exposureOf('::', 'tcp6', ['10.0.0.10', '203.0.113.9'], cidrs).kind, 'public'));
  it('a private address not declared internal is undeclared', () =>
    assert.equal(exposureOf('192.168.1.5', 'tcp', [], cidrs).kind, 'undeclared'));
  it('a public address the operator declares internal is internal', () =>
    assert.equal(exposureOf('203.0.113.9', 'tcp', [], parseCidrs(['203.0.113.0/24']).cidrs).kind, 'internal'));
  it('wildcard with unknown host addresses is undeclared', () =>
    assert.equal(exposureOf('::', 'any', [], cidrs).kind, 'undeclared'));
});
