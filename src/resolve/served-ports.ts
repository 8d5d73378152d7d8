// The ports each judged component serves, found once per view for the checks that judge them
// (network-exposure): real listeners from the kernel's table, attributed to a component by their
// owner or, failing that, by a port the component is configured to serve; a component with no
// attributed listener, or every one when the table is unreadable, by its configured endpoints.
import type { ComponentName, HostSnapshot, Listener } from '../collect/types.js';
import type { Evidence } from './evidence.js';
import { listenerComponent } from './listeners.js';
import { formatHostPort } from './network.js';
import { JUDGED_COMPONENTS, type Endpoint } from './resolved.js';

/** The judged components (the standard's port tables); kube-proxy's ports are reported, not judged. */
const JUDGED: ReadonlySet<ComponentName> = new Set(JUDGED_COMPONENTS);

/** What every judged component serves on this host, computed once per view. */
export interface ServedPorts {
  /** Sockets of judged components. */
  sockets: Socket[];
  /** kube-proxy's sockets: reported, not judged. */
  reported: Socket[];
  /** How the sockets were found, when not from an attributed listener (for the evidence). */
  notes: Evidence[];
}

/** One socket a component serves, from the kernel's listener table or, failing that, from its configuration. */
export interface Socket {
  component: ComponentName;
  address: string;
  port: number;
  family: 'tcp' | 'tcp6' | 'any';
  /** What the port is for, when configuration says so. */
  purpose?: string;
  origin: 'socket' | 'configuration';
  evidence: Evidence;
}

/**
 * Real listeners are preferred: they are what the kernel says. A listener belongs to a component by
 * its owning pid, or, when collect could not see owners, by a port the component is configured to
 * serve. A component with no attributed listener is judged by its configured endpoints, and the
 * evidence says so; so is every component when the listener table is unreadable.
 */
export function servedPorts(snapshot: HostSnapshot, endpoints: readonly Endpoint[]): ServedPorts {
  const notes: Evidence[] = [];
  const listeners = snapshot.listeners;
  const byComponent = new Map<ComponentName, Socket[]>();
  const add = (s: Socket) => byComponent.set(s.component, [...(byComponent.get(s.component) ?? []), s]);
  const configured = (e: Endpoint): Socket => ({
    component: e.component,
    address: e.address,
    port: e.port,
    family: 'any',
    purpose: e.purpose,
    origin: 'configuration',
    evidence: e.evidence,
  });

  if (!Array.isArray(listeners)) {
    notes.push({
      source: 'socket',
      detail: `listening sockets unreadable (${listeners.detail}); decided from configuration`,
    });
    for (const e of endpoints) add(configured(e));
  } else {
    const procs = snapshot.processes.filter((p) => JUDGED.has(p.component) || p.component === 'kube-proxy');
    const purposeOf = (component: ComponentName, port: number) =>
      endpoints.find((e) => e.component === component && e.port === port)?.purpose;
    const fromListener = (l: Listener, component: ComponentName, how: string): Socket => ({
      component,
      address: l.address,
      port: l.port,
      family: l.transport,
      ...(purposeOf(component, l.port) !== undefined && { purpose: purposeOf(component, l.port)! }),
      origin: 'socket',
      evidence: { source: 'socket', detail: `${l.transport} ${formatHostPort(l.address, l.port)} ${how}` },
    });
    for (const l of listeners) {
      const owner = listenerComponent(l, procs, endpoints);
      if (owner) add(fromListener(l, owner.component, owner.how));
    }
    for (const component of new Set(endpoints.map((e) => e.component))) {
      if (byComponent.has(component)) continue;
      notes.push({
        source: 'socket',
        detail: `no listening socket attributed to ${component}; judged from its configuration`,
      });
      for (const e of endpoints.filter((x) => x.component === component)) add(configured(e));
    }
  }
  const all = [...byComponent.values()].flat();
  return {
    sockets: all.filter((s) => JUDGED.has(s.component)),
    reported: all.filter((s) => !JUDGED.has(s.component)),
    notes,
  };
}
