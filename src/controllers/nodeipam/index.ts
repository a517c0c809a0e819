// Node IPAM: per-node podCIDR allocation from the cluster CIDR (the controller manager's `nodeipam` loop).
export { startNodeIpamController, NodeIpamController, nodePodCIDR, DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_CIDR_MASK_SIZE, type NodeIpamClient } from './controller.js';
export { CidrSet, CidrSetExhaustedError, InvalidCidrError, parseIpv4Cidr } from './cidr-set.js';
