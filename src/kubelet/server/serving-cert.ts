// The kubelet's self-signed serving certificate (upstream's default without --tls-cert-file: a
// self-signed `<hostname>@<timestamp>` certificate). The API server does not verify it unless given
// a kubelet CA, as upstream without --kubelet-certificate-authority.
import { createCa, createLeaf, type KeyPairPem } from '../../apiserver/pki/index.js';

export async function kubeletServingCert(hosts: string[], validDays = 365): Promise<KeyPairPem> {
  const name = `${hosts[0] ?? 'kubelet'}@${Math.floor(Date.now() / 1000)}`;
  // A one-off CA signs the leaf: the PKI helpers issue leaves from a CA; the CA key is discarded.
  const ca = await createCa(`${name}-ca`, validDays);
  return createLeaf(ca, { commonName: name, hosts, usage: 'server', validDays });
}
