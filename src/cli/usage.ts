// The CLI's help texts: the single place where commands and flags are documented for users
// (README.md repeats the flag table).
export const MAIN_USAGE = `Skiff: Kubernetes, written from scratch in TypeScript.

Usage:
  skiff server [flags]     Run a cluster: API server (embedded SQLite store), scheduler,
                           controllers and a node agent for this machine
  skiff agent [flags]      Run a node agent (kubelet on runc) that joins a running cluster
  skiff sim [flags]        Add simulated nodes to a running cluster
  skiff image CMD [args]   Manage the node's images (ls, pull, rm, import)
  skiff kubectl [args...]  Run kubectl against the local server's admin kubeconfig
  skiff version            Print version information
  skiff help [command]     Show help

Run 'skiff help server' for the server's flags.
`;

const AGENT_FLAGS_USAGE = `Node agent (kubelet) flags:
  --node-name NAME       Node name (default: the host name)
  --node-ip ADDR         The node's InternalIP; the kubelet listens there (default: first
                         non-loopback IPv4 address)
  --pod-cidr CIDR        This node's pod CIDR when the Node has none (default 10.42.0.0/24)
  --cluster-cidr CIDR    All pods' CIDR, routed locally so it never leaves (default 10.42.0.0/16)
  --cluster-dns IP       Nameserver in pods' resolv.conf (default 10.43.0.10)
  --cluster-domain D     Cluster domain (default cluster.local)
  --registries FILE      Registry mirrors and auth, k3s registries.yaml format
                         (default <data-dir>/registries.yaml)
  --disable-default-registry-endpoint
                         Pull only through mirrors, never from the registry itself
  --kubelet-port PORT    Kubelet HTTPS port (default 10250; 0 = pick a free port)
  --service-cidr CIDR    Service IPs (default 10.43.0.0/16), routed locally so they never leave
  --flannel-backend B    Routes to other nodes' pods: host-gw (default; nodes on one L2 segment),
                         vxlan (UDP 8472 between nodes) or none
  --disable-kube-proxy   Run no Service proxy (iptables rules for ClusterIP/NodePort) on this node
  --proxy-mode MODE      Service proxy backend: iptables (default) or nftables
  --disable-cluster-dns  Serve no cluster DNS on the --cluster-dns address of this node
  --dns-upstream ADDR    Forwarder for non-cluster names, ip[:port] (repeatable; default: the
                         nameservers of /etc/resolv.conf)
  --dns-port PORT        Port of the cluster DNS server (default 53)
`;

export const SERVER_USAGE = `Usage: skiff server [flags]

Starts the Kubernetes API server. On first start it creates a CA, a serving certificate, an admin
client certificate (<data-dir>/tls/), an admin bearer token (<data-dir>/tokens.csv) and an admin
kubeconfig (<data-dir>/kubeconfig.yaml); later starts reuse them.

Flags:
  --data-dir DIR         State directory (default: /var/lib/skiff as root, else ~/.skiff;
                         SKIFF_DATA_DIR overrides the default)
  --https-port PORT      HTTPS port to serve on (default: 6443; 0 = pick a free port)
  --bind-address ADDR    Address to listen on (default: 127.0.0.1; 0.0.0.0 for all interfaces)
  --storage URL          Storage backend (default: sqlite://<data-dir>/state.db)
  --tls-san NAME         Extra host name or IP for the serving certificate (repeatable)
  --sim-nodes N          Register N simulated nodes (no containers; pods on them go Running)
  --disable-scheduler    Do not run the built-in scheduler
  --scheduler-config FILE
                         KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):
                         NodeResourcesFit scoringStrategy, percentageOfNodesToScore
  --disable-controller-manager
                         Do not run the built-in controllers (API server alone)
  --node-monitor-grace-period D
                         How long a node may miss heartbeats before it is marked
                         Unknown and tainted unreachable (default 40s)
  --node-monitor-period D
                         How often node health is checked (default 5s)
  --disable-agent        Run no node agent here (control plane only; pods need other nodes)
  --disable-ingress      Run no ingress controller (IngressClass skiff) in the embedded agent
  --ingress-http-port P  Ingress HTTP port on all addresses (default 80; 0 = pick a free port)
  --ingress-https-port P Ingress HTTPS port (default 443)
${AGENT_FLAGS_USAGE}  -h, --help             Show this help
`;

export const SIM_USAGE = `Usage: skiff sim [flags]

Registers simulated nodes with a running cluster and acts as their kubelet until interrupted: pods
bound to them go Pending -> Running with pod IPs, heartbeats renew each node's Lease. See
src/kubelet/sim/README.md for the annotations that make a simulated container exit.

Flags:
  --nodes N              How many nodes (default 1)
  --name-prefix P        Node names are P0, P1, ... (default sim-)
  --kubeconfig FILE      Cluster to join (default: $KUBECONFIG, else <data-dir>/kubeconfig.yaml)
  --data-dir DIR         Where the server's kubeconfig is (default as for skiff server)
  -h, --help             Show this help
`;

export const KUBECTL_USAGE = `Usage: skiff kubectl [--data-dir DIR] [kubectl args...]

Runs kubectl (/usr/bin/kubectl, else kubectl on PATH) with KUBECONFIG=<data-dir>/kubeconfig.yaml,
passing arguments, standard streams and the exit code through. Example: skiff kubectl get ns
`;

export const IMAGE_USAGE = `Usage: skiff image COMMAND [flags] [args...]

Manages the node's image store (<data-dir>/agent/images), the one the agent runs containers from.

Commands:
  ls                     List images (IMAGE TAG IMAGE ID SIZE, as crictl images; -q: IDs only)
  pull REF...            Pull through the mirrors of the registries file
  rm REF|ID...           Remove images and the layers no other image uses
  import ARCHIVE...      Import docker-save or OCI image-layout archives (.tar or .tar.gz)

Flags:
  --data-dir DIR         State directory (default as for skiff server)
  --registries FILE      Mirrors and credentials, k3s registries.yaml format
                         (default: <data-dir>/registries.yaml; a missing file means none)
  --disable-default-registry-endpoint
                         Pull only from mirrors, never from the registry itself
  -h, --help             Show this help
`;
