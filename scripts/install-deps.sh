#!/usr/bin/env bash
# Installs what Skiff needs on a Debian/Ubuntu machine and a fresh one lacks: Node.js and npm, a
# compiler (better-sqlite3's fallback when no prebuilt binary matches), and the node agent's tools —
# runc and conmon (containers), iproute2 and iptables (pod network, Services), util-linux and bsdutils
# (unshare, nsenter, script), busybox-static and docker-registry (the tests' images and registry).
# apt runs only when something is missing, so it is a no-op on a prepared machine.
set -euo pipefail

missing=()
need() { # need <command> <apt package>
  command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]] || missing+=("$2")
}
need node nodejs
need npm npm
# better-sqlite3 downloads a prebuilt binary when one matches; a compiler is the fallback.
need make make
need g++ g++
need python3 python3
# The kubelet's tests run real containers and pull from a real registry on loopback.
need runc runc
need conmon conmon
need docker-registry docker-registry
[[ -x /bin/busybox ]] || missing+=(busybox-static)
# Pod networks and Services: bridges, veths and netns (iproute2), Service rules (iptables), the
# container supervisor's helpers (unshare, nsenter, script from util-linux/bsdutils).
need ip iproute2
need iptables iptables
need iptables-restore iptables
need nft nftables
need unshare util-linux
need nsenter util-linux
need script bsdutils

if ((${#missing[@]} > 0)); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    echo "+ installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  else
    echo "missing ${missing[*]} and apt-get is not available; install them and re-run" >&2
    # Only node and npm are hard requirements; the compiler is needed only without a prebuilt binary.
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || exit 1
  fi
fi


node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi
