// The kubelet's pod network: bridge + veth + netns per pod, file-backed IPAM, hostPort DNAT.
export { PodNetwork, type PodNetworkOptions, type PodNetworkAttachment } from './pod-network.js';
export { Ipam, IpamExhaustedError } from './ipam.js';
export { HostPorts } from './hostports.js';
export { CommandError, run, tryRun } from './command.js';
export { parseCidr, gatewayOf, hostRange, ipToNumber, numberToIp } from './cidr.js';
export { NodeRoutes, type NodeRoutesOptions } from './node-routes.js';
export { desiredPeers, vtepMac, vtepAddress, ROUTE_PROTO, type Peer } from './route-plan.js';
