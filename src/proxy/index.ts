// The Service proxy (kube-proxy's role, iptables mode): watches Services and EndpointSlices and keeps
// nat/filter rules so cluster IPs, node ports and load-balancer addresses reach ready endpoints.
// startProxy runs it against an InformerFactory; buildRules is the pure renderer it uses, exported for
// tests and for reading what a given cluster state turns into.
export { startProxy, type ProxyOptions, type ProxyMetrics, type RunningProxy } from './proxier.js';
export { buildRules, buildChains, renderTable, jumpRules, declaredChains, MASQ_MARK, type RuleOptions, type RuleSet, type JumpRule } from './rules.js';
export { RuleSyncer, type RuleSyncerOptions, type ServiceRouteMode, type SyncStats } from './rule-syncer.js';
export { buildServicePorts, categorizeEndpoints, isProxiable, type ProxyState, type ServicePort, type Endpoint } from './service-port.js';
export { chainNames, ChainPrefixError, type ChainNames } from './chain-names.js';
export { hostExec, ProxyCommandError, type Exec, type ExecResult } from './exec.js';
