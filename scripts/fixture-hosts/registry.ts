// Every fixture host, in the order the generator writes them. A new host is one file under hosts/
// (a function returning its HostSpec) and one line here; a file holding several hosts can export
// its own list and be spread into this one.
import { insecureHandRolled } from './hosts/insecure-hand-rolled.js';
import { k0sController } from './hosts/k0s-controller.js';
import { k0sControllerWorker } from './hosts/k0s-controller-worker.js';
import { k3sAgent } from './hosts/k3s-agent.js';
import { k3sServer } from './hosts/k3s-server.js';
import { k3sServerConfigOnly } from './hosts/k3s-server-config-only.js';
import { k3sServerEtcd } from './hosts/k3s-server-etcd.js';
import { k3sServerNoJournal } from './hosts/k3s-server-no-journal.js';
import { kindControlPlane } from './hosts/kind-control-plane.js';
import { kubeadm127ControlPlane } from './hosts/kubeadm-1.27-control-plane.js';
import { kubeadm129Worker } from './hosts/kubeadm-1.29-worker.js';
import { kubeadm134ControlPlane } from './hosts/kubeadm-1.34-control-plane.js';
import { kubeadm136Worker } from './hosts/kubeadm-1.36-worker.js';
import { kubeadmExternalEtcdControlPlane } from './hosts/kubeadm-external-etcd-control-plane.js';
import { kubeadmExternalEtcdHost } from './hosts/kubeadm-external-etcd-host.js';
import { kubesprayControlPlane } from './hosts/kubespray-control-plane.js';
import { manifestsOnly } from './hosts/manifests-only.js';
import { microk8s } from './hosts/microk8s.js';
import { minikubeNode } from './hosts/minikube.js';
import { parsingTraps } from './hosts/parsing-traps.js';
import { rke2Agent } from './hosts/rke2-agent.js';
import { rke2Server } from './hosts/rke2-server.js';
import { scsClusterStacksControlPlane } from './hosts/scs-cluster-stacks-control-plane.js';
import { talosControlPlane } from './hosts/talos-control-plane.js';
import type { HostSpec } from './spec.js';

export const HOSTS: readonly (() => HostSpec)[] = [
  kubeadm134ControlPlane,
  kubeadm129Worker,
  kubeadm136Worker,
  kubeadm127ControlPlane,
  kubeadmExternalEtcdControlPlane,
  kubeadmExternalEtcdHost,
  kindControlPlane,
  kubesprayControlPlane,
  rke2Server,
  scsClusterStacksControlPlane,
  insecureHandRolled,
  parsingTraps,
  manifestsOnly,
  k3sServer,
  k3sServerNoJournal,
  k3sServerEtcd,
  k3sAgent,
  microk8s,
  k0sController,
  k0sControllerWorker,
  rke2Agent,
  talosControlPlane,
  k3sServerConfigOnly,
  minikubeNode,
];
