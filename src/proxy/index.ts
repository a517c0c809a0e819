// The Service proxy (kube-proxy's role): watches Services and EndpointSlices and keeps nat/filter
// rules — iptables chains by default, or one nftables table with mode 'nftables' (nft/) — so cluster
// IPs, node ports and load-balancer addresses reach ready endpoints.
// startProxy runs it against an InformerFactory; buildRules is the pure renderer it uses, exported for
// tests and for reading what a given cluster state turns into.
export { startProxy, type ProxyOptions, type ProxyMetrics, type RunningProxy } from './proxier.js';
export { buildRules, buildChains, renderTable, jumpRules, declaredChains, MASQ_MARK, type RuleOptions, type RuleSet, type JumpRule } from './rules.js';
export { RuleSyncer, type RuleSyncerOptions, type ServiceRouteMode, type SyncStats } from './rule-syncer.js';
export { buildServicePorts, categorizeEndpoints, trafficPlan, isProxiable, type TrafficPlan, type ProxyState, type ServicePort, type Endpoint } from './service-port.js';
export { chainNames, ChainPrefixError, type ChainNames } from './chain-names.js';
export { ServiceRoute } from './service-route.js';
export { renderNft, checkTableName, NftTableNameError, NFT_MASQ_MARK, DEFAULT_NFT_TABLE, type NftRuleOptions, type NftRuleset } from './nft/render-nft.js';
export { NftSyncer, type NftSyncerOptions } from './nft/nft-syncer.js';
export { hostExec, ProxyCommandError, type Exec, type ExecResult } from './exec.js';
