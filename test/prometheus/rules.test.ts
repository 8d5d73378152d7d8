// The shipped fleet view: recording and alerting rules under promtool, and the Grafana dashboard.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { stringify } from 'yaml';

// Works from test/prometheus (tsx) and dist/test/prometheus (tsc) alike: the nearest packaging/.
const root = [new URL('../../', import.meta.url), new URL('../../../', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, 'packaging/prometheus')))!;
const packaging = join(root, 'packaging/prometheus');

function promtool(args: string[], cwd = packaging): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}

test('promtool check rules: the shipped rules are valid', () => {
  const result = promtool(['check', 'rules', 'scs-node-audit.rules.yml']);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /SUCCESS: 15 rules found/);
});

// Every unit test file under tests/ (the upkeep rules of issue 11 have their own file).
const ruleTestFiles = readdirSync(join(packaging, 'tests'))
  .filter((name) => name.endsWith('.test.yml'))
  .sort()
  .map((name) => `tests/${name}`);

test('promtool test rules: every recording and alerting rule behaves as its unit tests say', () => {
  assert.ok(ruleTestFiles.includes('tests/scs-node-audit.rules.test.yml'), ruleTestFiles.join(', '));
  const result = promtool(['test', 'rules', ...ruleTestFiles]);
  assert.equal(result.status, 0, result.output);
  const tested = ruleTestFiles.map((file) => readFileSync(join(packaging, file), 'utf8')).join('\n');
  const rules = readFileSync(join(packaging, 'scs-node-audit.rules.yml'), 'utf8');
  for (const [, name] of rules.matchAll(/- (?:alert|record): (\S+)/g))
    assert.ok(tested.includes(name!), `${name} has a unit test`);
});

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  title: string;
  datasource: { type: string; uid: string };
  targets: Target[];
}
const dashboard = JSON.parse(readFileSync(join(packaging, 'grafana/scs-node-audit-fleet.json'), 'utf8')) as {
  uid: string;
  id: null;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: Panel[];
};

test('dashboard: datasource, cluster, job, node and instance variables; every query uses the datasource variable and all filters', () => {
  assert.equal(dashboard.id, null);
  assert.equal(dashboard.uid, 'scs-node-audit-fleet');
  // 42: LATEST_VERSION of grafana/grafana:apps/dashboard/pkg/migration/schemaversion/migrations.go (Grafana 12).
  assert.ok(dashboard.schemaVersion >= 42, `schemaVersion ${dashboard.schemaVersion}`);
  const variables = Object.fromEntries(dashboard.templating.list.map((variable) => [variable.name, variable]));
  assert.equal(variables.datasource?.type, 'datasource');
  assert.equal(variables.datasource.query, 'prometheus');
  for (const name of ['cluster', 'job', 'node', 'instance']) assert.equal(variables[name]?.type, 'query', name);
  // The labels the rules group by and the PodMonitor writes are the ones the variables offer.
  const rules = readFileSync(join(packaging, 'scs-node-audit.rules.yml'), 'utf8');
  assert.match(rules, /max by \(cluster, job, instance, node\)/);
  assert.match(rules, /max by \(cluster, node\)/);
  const podMonitor = readFileSync(join(root, 'packaging/kubernetes/daemonset.yaml'), 'utf8');
  assert.match(podMonitor, /targetLabel: node\n/);
  for (const name of ['cluster', 'node']) {
    assert.match((variables[name]!.query as { query: string }).query, new RegExp(`, ${name}\\)$`));
    // "All" must also match targets that have no such label (static configs without cluster/node).
    assert.equal((variables[name] as unknown as { allValue: string }).allValue, '.*');
  }
  const titles = dashboard.panels.map((panel) => panel.title);
  for (const wanted of ['Nodes compliant', 'Failing checks by id and node', 'Last audit age by node'])
    assert.ok(titles.includes(wanted), wanted);
  for (const panel of dashboard.panels) {
    assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, panel.title);
    assert.ok(panel.targets.length > 0, panel.title);
    for (const target of panel.targets) {
      assert.deepEqual(target.datasource, { type: 'prometheus', uid: '${datasource}' }, panel.title);
      for (const name of ['cluster', 'job', 'node', 'instance'])
        assert.ok(target.expr.includes(`${name}=~"$${name}"`), `${panel.title}: ${target.expr}`);
      if (target.expr.includes('rate(') || target.expr.includes('increase('))
        assert.ok(target.expr.includes('$__rate_interval'), panel.title);
    }
  }
});

test('dashboard: every query is valid PromQL (checked by promtool as recording rules)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scs-dashboard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const substitute = (expr: string) =>
    expr
      .replaceAll('$__rate_interval', '1m')
      .replaceAll('$job', '.+')
      .replaceAll('$instance', '.+')
      .replaceAll('$cluster', '.*')
      .replaceAll('$node', '.*');
  const rules = dashboard.panels.flatMap((panel, index) =>
    panel.targets.map((target, targetIndex) => ({
      record: `dashboard:panel_${index}_${targetIndex}`,
      expr: substitute(target.expr),
    })),
  );
  const variableQueries = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable, index) => {
      // label_values(<selector>, label) is Grafana syntax; its selector must be valid PromQL.
      const query = (variable.query as { query: string }).query;
      const selector = /^label_values\((.*), \w+\)$/.exec(query)?.[1];
      assert.ok(selector !== undefined, query);
      return { record: `dashboard:variable_${index}`, expr: substitute(selector) };
    });
  const file = join(dir, 'dashboard-queries.yml');
  writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: [...rules, ...variableQueries] }] }));
  const result = promtool(['check', 'rules', file], dir);
  assert.equal(result.status, 0, result.output);
});
