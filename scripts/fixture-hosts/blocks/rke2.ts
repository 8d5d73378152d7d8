// RKE2 building blocks (rancher/rke2): its data directory.
export const RKE2 = '/var/lib/rancher/rke2';
