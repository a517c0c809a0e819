// The media types of the OCI image spec and Docker's image manifest v2 schema 2, and the JSON shapes
// of manifests, indexes and image configs that the image manager reads (only the fields it uses).
export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** Every manifest type we can read, in the Accept header of manifest GETs. Debian's registry 2.8
 * converts a Docker v2 manifest to schema1 when the Docker type is missing and answers 404 for an OCI
 * manifest when the OCI type is missing, so all four are always sent. */
export const MANIFEST_ACCEPT = [MEDIA.dockerManifest, MEDIA.dockerManifestList, MEDIA.ociManifest, MEDIA.ociIndex].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

/** The image config (OCI image-spec config.md), reduced to what a runtime needs. */
export interface OciImageConfig {
  architecture?: string;
  os?: string;
  config?: {
    User?: string;
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    StopSignal?: string;
    ExposedPorts?: Record<string, object> | null;
  };
  rootfs: { type: string; diff_ids: string[] };
}

export const isIndexType = (t: string | undefined) => t === MEDIA.dockerManifestList || t === MEDIA.ociIndex;
export const isManifestType = (t: string | undefined) => t === MEDIA.dockerManifest || t === MEDIA.ociManifest;
