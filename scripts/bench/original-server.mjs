// The original appliance-status job, re-created for scripts/bench-server: a Node 20 http server
// with the token compared by string equality (Bearer or ?token=), and on every /api/status request
// the whole collection done inline, as the original did with its ~10 parallel API GETs, here read
// from the same snapshot folder the Swift server reads. Derivation after
// shared/spec/original-implementation.md §4.5-4.6 (components, tiers, one blocker, rollup).
// Not shipped; a benchmark peer only.
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const [, , port, dir, tokenFile] = process.argv;
const token = (await readFile(tokenFile, 'utf8')).trim();

const COMPONENTS = [
  ['db', 'core', 'statefulsets'], ['redis', 'core', 'deployments'], ['pgbouncer', 'core', 'deployments'],
  ['alga-core', 'core', 'deployments'], ['temporal', 'background', 'deployments'], ['temporal-ui', 'background', 'deployments'],
  ['email-service', 'background', 'deployments'], ['workflow-worker', 'background', 'deployments'], ['temporal-worker', 'background', 'deployments'],
];

async function collect() {
  const lists = {};
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json') || name === 'expected.json' || name === 'probes.json') continue;
    const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    if (doc && doc.kind && doc.kind.endsWith('List')) lists[name.replace(/(-msp)?\.json$/, '')] = doc.items || [];
  }
  const ready = (o) => (o?.status?.conditions || []).some((c) => c.type === 'Ready' && c.status === 'True');
  const nodes = lists.nodes || [];
  const platformReady = nodes.length > 0 && nodes.every(ready) && (lists.gitrepositories || []).every(ready)
    && ready((lists.kustomizations || []).find((k) => k.metadata.name === 'alga-platform'));
  const workloads = [...(lists.deployments || []), ...(lists.statefulsets || [])];
  const components = COMPONENTS.map(([name, tier]) => {
    const w = workloads.find((x) => x.metadata.name.includes(name));
    const ok = !!w && (w.status?.readyReplicas || 0) >= (w.spec?.replicas ?? 1);
    return { name, tier, ready: ok, status: ok ? 'healthy' : (w ? 'progressing' : 'unknown'), message: '', namespace: 'msp' };
  });
  const coreReady = components.filter((c) => ['db', 'redis', 'pgbouncer'].includes(c.name)).every((c) => c.ready);
  const webReady = components.find((c) => c.name === 'alga-core').ready;
  const jobs = (lists.jobs || []).filter((j) => j.metadata.name.startsWith('alga-core-sebastian-bootstrap'));
  const job = jobs[jobs.length - 1];
  const helm = lists.helmreleases || [];
  const bootstrapReady = coreReady && !(job?.status?.failed > 0) && (job?.status?.succeeded > 0 || (helm.length > 0 && helm.every(ready)));
  const loginReady = coreReady && webReady;
  const backgroundReady = components.filter((c) => c.tier === 'background').every((c) => c.ready);
  const events = (lists.events || []).slice(-20).map((e) => ({ namespace: e.metadata.namespace, reason: e.reason, type: e.type, message: e.message, lastTimestamp: e.lastTimestamp, involvedObject: `${e.involvedObject.kind}/${e.involvedObject.name}` }));
  const missing = (lists.events || []).find((e) => /not found/.test(e.message || '') && /pull/i.test(e.message || ''));
  const notReady = components.find((c) => !c.ready && c.status !== 'unknown');
  const topBlockers = missing ? [{ severity: 'warning', component: missing.involvedObject.name, layer: 'image tag missing', reason: missing.message, nextAction: 'Publish the missing tag.', loginBlocking: false }]
    : notReady ? [{ severity: 'warning', component: notReady.name, layer: 'workload readiness failure', reason: `${notReady.name} is ${notReady.status}`, nextAction: 'Review pods.', loginBlocking: notReady.tier !== 'background' }] : [];
  const state = !(platformReady && coreReady && bootstrapReady && loginReady) ? (topBlockers.some((b) => b.loginBlocking) ? 'failed_action_required' : 'installing')
    : backgroundReady ? 'fully_healthy' : 'ready_with_background_issues';
  const tier = (ok) => ({ ready: ok, status: ok ? 'healthy' : 'progressing' });
  return {
    service: 'appliance-status', status: state, siteId: 'appliance-single-node', timestamp: new Date().toISOString(),
    rollup: { state, message: '', nextAction: '' }, currentPhase: state,
    tiers: { platform: tier(platformReady), core: tier(coreReady), bootstrap: tier(bootstrapReady), login: tier(loginReady), background: tier(backgroundReady), fullHealth: tier(loginReady && backgroundReady) },
    topBlockers, activeOperations: [], components, recentEvents: events,
  };
}

http.createServer(async (req, res) => {
  if (req.url.startsWith('/healthz')) { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return; }
  const auth = req.headers.authorization || '';
  const presented = auth.startsWith('Bearer ') ? auth.slice(7).trim() : new URL(req.url, 'http://x').searchParams.get('token');
  if (!token || presented !== token) { res.writeHead(401, { 'content-type': 'application/json' }); res.end('{"error":"unauthorized"}'); return; }
  try {
    const body = JSON.stringify(await collect());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  } catch (e) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'status_collection_failed', message: String(e) }));
  }
}).listen(Number(port), '127.0.0.1');
